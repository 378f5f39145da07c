#!/usr/bin/env python3
"""Fails on package import cycles in the main Java sources of each Maven module.

For every module (a directory with src/main/java, build output skipped), each file's `package` line
gives its package; its `import` lines (static ones too) and the fully-qualified names it writes inline
give the packages it uses. A use counts when it names a package of the same module (cycles cannot
cross modules: Maven's module graph has none). Tarjan's algorithm finds the strongly connected
components of that graph; every component of two or more packages is printed with the files behind
its edges, and the exit status is 1 if there is any.

Usage: check-cycles.py [module-dir ...]   (default: every module under the repository root)
"""

import os
import re
import sys

SKIP_DIRS = {"target", ".git", "node_modules"}
PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.MULTILINE)
IMPORT = re.compile(r"^\s*import\s+(?:static\s+)?([\w.]+)(?:\.\*)?\s*;", re.MULTILINE)
QUALIFIED = re.compile(r"(?<![\w.])([a-z_]\w*(?:\.\w+)+)")
COMMENTS_AND_STRINGS = re.compile(
    r'//[^\n]*|/\*.*?\*/|"""(?:\\.|[^\\])*?"""|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.DOTALL
)


def find_modules(root):
    modules = []
    for dirpath, dirnames, _ in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        if os.path.isdir(os.path.join(dirpath, "src", "main", "java")):
            modules.append(dirpath)
    return modules


def java_files(module):
    base = os.path.join(module, "src", "main", "java")
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".java"):
                yield os.path.join(dirpath, name)


def blank(match):
    """Keeps line breaks so that nothing after a comment or string moves."""
    return re.sub(r"[^\n]", " ", match.group(0))


def parse(path):
    """Returns (package, [names used]) of one source file."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    code = COMMENTS_AND_STRINGS.sub(blank, text)
    package = PACKAGE.search(code)
    imports = IMPORT.findall(code)
    body = IMPORT.sub("", PACKAGE.sub("", code))
    return (package.group(1) if package else ""), imports + QUALIFIED.findall(body)


def owning_package(name, types):
    """The package of the module that `name` is (a wildcard import) or names a type of, else None.

    Generated sources are not under src/main/java, so a name like `a.proto.X` must not count as a use
    of package `a`: the segment after the package has to be one of its source files' types."""
    if name in types:
        return name
    parts = name.split(".")
    for n in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in types and parts[n] in types[candidate]:
            return candidate
    return None


def package_graph(module):
    files = {path: parse(path) for path in java_files(module)}
    types = {}  # package -> names of its top-level types (one per file)
    for path, (package, _) in files.items():
        types.setdefault(package, set()).add(os.path.basename(path)[: -len(".java")])
    edges = {package: {} for package in types}  # package -> {used package -> first file}
    for path, (package, names) in files.items():
        for name in names:
            used = owning_package(name, types)
            if used and used != package:
                edges[package].setdefault(used, os.path.relpath(path, module))
    return edges


def strongly_connected(edges):
    """Tarjan's algorithm, iterative; returns the components in a stable order."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(edges[succ]))))
                    advanced = True
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def main(argv):
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    modules = argv[1:] or find_modules(root)
    cycles = 0
    for module in modules:
        if not os.path.isdir(os.path.join(module, "src", "main", "java")):
            print(f"check-cycles: {module}: no src/main/java", file=sys.stderr)
            return 2
        edges = package_graph(module)
        name = os.path.relpath(os.path.abspath(module), root)
        for component in strongly_connected(edges):
            if len(component) < 2:
                continue
            cycles += 1
            members = set(component)
            print(f"{name}: import cycle among {len(component)} packages: {', '.join(component)}")
            for package in component:
                for used, path in sorted(edges[package].items()):
                    if used in members:
                        print(f"    {package} -> {used}  ({path})")
    if cycles:
        print(f"check-cycles: {cycles} package import cycle(s)")
        return 1
    print(f"check-cycles: no package import cycles in {len(modules)} module(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
