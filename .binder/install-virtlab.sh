#!/usr/bin/env bash
# Installs VirtLab (the virtlab command and its Jupyter kernel) into PREFIX, the way a class image
# needs it: the tool in PREFIX/lib/virtlab, a `virtlab` launcher in PREFIX/bin, and the kernelspec
# in PREFIX/share/jupyter/kernels/.net-virtlab with absolute paths (a JupyterHub server does not
# have ~/.dotnet/tools on its PATH). The Dockerfile beside this script runs it with PREFIX set to
# the Jupyter environment; CI runs it into a clean prefix and executes the lessons through the
# kernelspec it installed. Needs only the .NET SDK.
set -euo pipefail

prefix="${1:?usage: install-virtlab.sh PREFIX}"
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
repo="$(cd "$(dirname "$0")/.." && pwd)"

echo "==> publishing VirtLab into $prefix/lib/virtlab"
dotnet publish "$repo/src/VirtLab.Cli/VirtLab.Cli.csproj" -c Release -o "$prefix/lib/virtlab" -nologo -v:q

echo "==> the virtlab command: $prefix/bin/virtlab"
mkdir -p "$prefix/bin"
dotnet_path="$(command -v dotnet)"
dotnet_path="$(readlink -f "$dotnet_path")"
cat > "$prefix/bin/virtlab" <<LAUNCHER
#!/bin/sh
exec "$dotnet_path" "$prefix/lib/virtlab/VirtLab.Cli.dll" "\$@"
LAUNCHER
chmod +x "$prefix/bin/virtlab"

echo "==> the kernelspec"
"$prefix/bin/virtlab" kernel install --prefix "$prefix"
