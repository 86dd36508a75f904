"""Executes notebooks with nbclient through the kernel their metadata names, as a grader or CI would.

Usage: run_notebooks.py OUTDIR NOTEBOOK...   Each notebook runs in its own folder; the executed
copy goes to OUTDIR, and OUTDIR/timings.json gets the seconds each one took.
"""
import json, os, sys, time
import nbformat
from nbclient import NotebookClient

outdir, notebooks = sys.argv[1], sys.argv[2:]
os.makedirs(outdir, exist_ok=True)
timings = {}
for path in notebooks:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=300, startup_timeout=300, allow_errors=True,
                            kernel_name=notebook.metadata["kernelspec"]["name"],
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    began = time.time()
    client.execute()
    timings[os.path.basename(path)] = time.time() - began
    nbformat.write(notebook, os.path.join(outdir, os.path.basename(path)))
with open(os.path.join(outdir, "timings.json"), "w") as out:
    json.dump(timings, out, indent=1)
