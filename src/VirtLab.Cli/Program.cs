using System.CommandLine;
using VirtLab.Cli;

// Minimal entry point for the notebook branch; the real Program.cs lives on the CLI branch.
var root = new RootCommand("VirtLab: a RISC-V machine and hypervisor to learn virtualization with")
{
    NotebookCommands.CourseCommand(),
    NotebookCommands.NotebookCommand(),
};
return await root.Parse(args).InvokeAsync();
