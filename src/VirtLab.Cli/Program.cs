Console.WriteLine("virtlab");
