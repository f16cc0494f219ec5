#!/usr/bin/env python3
"""Finds import loops among the files of src/: an edge A -> B when file A
names a path inside file B's module through `use` (crate::, super::, self::
or a child module) or an inline `crate::…`/`super::…` path. Each path is
resolved to the deepest module that is a file of its own. Prints every loop
(strongly connected component of more than one file) and exits 1 if any.

    python3 crates/auth0-emulator/scripts/import-loops.py [src-dir]
"""
import os
import re
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src")
SRC = os.path.normpath(SRC)

modules = {}  # tuple(module path) -> file
for root, _, files in os.walk(SRC):
    for f in files:
        if not f.endswith(".rs"):
            continue
        rel = os.path.relpath(os.path.join(root, f), SRC)
        parts = rel[:-3].split(os.sep)
        if parts[-1] in ("mod", "lib"):
            parts = parts[:-1]
        if parts == ["main"]:
            continue  # the binary is its own crate
        modules[tuple(parts)] = rel


def deepest(path):
    """The longest prefix of `path` that is a module file."""
    for n in range(len(path), -1, -1):
        if tuple(path[:n]) in modules:
            return tuple(path[:n])
    return ()


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def strip_test_modules(text):
    """Removes `#[cfg(test)] mod … { … }` blocks: test code, not structure."""
    while True:
        m = re.search(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text)
        if not m:
            return text
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += text[i] == "{"
            depth -= text[i] == "}"
            i += 1
        text = text[: m.start()] + text[i:]


def expand_use(tree):
    """`a::{b, c::{d}}` -> [[a,b],[a,c,d]] (glob and `self` handled)."""
    tree = tree.strip()
    m = re.match(r"^(.*?)\{(.*)\}$", tree, re.S)
    if not m:
        tree = re.sub(r"\s+as\s+\w+$", "", tree)
        return [[p for p in tree.split("::") if p and p != "*"]]
    prefix = [p for p in m.group(1).split("::") if p]
    inner, depth, parts, cur = m.group(2), 0, [], ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    out = []
    for p in parts:
        if p.strip():
            for tail in expand_use(p):
                out.append(prefix + [t for t in tail if t != "self"])
    return out


def resolve(here, path):
    """Absolute module path of `path` written in module `here`."""
    if not path:
        return None
    if path[0] == "crate":
        return path[1:]
    if path[0] in ("super", "self"):
        base = list(here)
        while path and path[0] in ("super", "self"):
            if path[0] == "super":
                base = base[:-1]
            path = path[1:]
        return base + path
    if tuple(list(here) + [path[0]]) in modules:  # a child module
        return list(here) + path
    return None  # an external crate or std


edges = {m: set() for m in modules}
for mod, rel in modules.items():
    text = strip_test_modules(strip_comments(open(os.path.join(SRC, rel)).read()))
    paths = []
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        paths += expand_use(m.group(1))
    for m in re.finditer(r"\b((?:crate|super)(?:::\w+)+)", text):
        paths.append(m.group(1).split("::"))
    for p in paths:
        target = resolve(mod, p)
        if target is None:
            continue
        t = deepest(target)
        if t != mod and t in modules:
            edges[mod].add(t)

# Tarjan's strongly connected components.
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(comp)


sys.setrecursionlimit(10000)
for v in modules:
    if v not in index:
        visit(v)

print(f"{len(modules)} files, {sum(len(e) for e in edges.values())} import edges")
for comp in sccs:
    names = sorted(modules[m] for m in comp)
    print("loop:", " <-> ".join(names))
    for m in comp:
        for t in sorted(edges[m] & set(comp)):
            print(f"    {modules[m]} -> {modules[t]}")
sys.exit(1 if sccs else 0)
