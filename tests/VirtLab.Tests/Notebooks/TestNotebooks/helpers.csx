string Shout(string text) => text.ToUpperInvariant() + "!";
