#!/usr/bin/env python3
"""Mechanical fixer for the import rules of build-tools/checkstyle.xml.

usage: python3 build-tools/fix-imports.py <file.java | directory> ...

1. An inline fully-qualified class name (java.util.List in code) becomes its simple name plus an import, unless the
   simple name is already taken by another import or a class of the same package; those are reported, not changed.
2. Imports are regrouped: static, java, javax, jakarta, third-party, fr.mssante; one blank line between groups,
   sorted inside each group, duplicates and unused imports removed.
"""
import os
import re
import sys

FQN = re.compile(r'(?<![\w."$])((?:java|javax|jakarta|org|com|io|net|fr|reactor|ch|de)\.(?:[a-z][a-z0-9_]*\.)*)([A-Z]\w*)')
IMPORT = re.compile(r'^import\s+(static\s+)?([\w.]+(?:\.\*)?)\s*;\s*$')


def strip_comments_and_strings(code):
    """Same length as code, with comments, strings and char literals blanked (to find real code tokens)."""
    out = []
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if code.startswith('//', i):
            j = code.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i)); i = j
        elif code.startswith('/*', i):
            j = code.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', code[i:j])); i = j
        elif code.startswith('"""', i):
            j = code.find('"""', i + 3)
            j = n if j < 0 else j + 3
            out.append(re.sub(r'[^\n]', ' ', code[i:j])); i = j
        elif c == '"' or c == "'":
            j = i + 1
            while j < n and code[j] != c and code[j] != '\n':
                j += 2 if code[j] == '\\' else 1
            j = min(j + 1, n)
            out.append(c + ' ' * (j - i - 2) + (code[j - 1] if j - i >= 2 else '')); i = j
        else:
            out.append(c); i += 1
    return ''.join(out)


def group_of(name, static):
    if static:
        return 0
    for k, prefix in enumerate(('java.', 'javax.', 'jakarta.'), start=1):
        if name.startswith(prefix):
            return k
    if name.startswith('fr.mssante.'):
        return 5
    return 4


def fix(path):
    src = open(path, encoding='utf-8').read()
    lines = src.split('\n')
    pkg_line = next((i for i, l in enumerate(lines) if l.startswith('package ')), None)
    if pkg_line is None:
        return []
    package = lines[pkg_line].split()[1].rstrip(';')
    import_idx = [i for i, l in enumerate(lines) if IMPORT.match(l)]
    imports = [(bool(IMPORT.match(lines[i]).group(1)), IMPORT.match(lines[i]).group(2)) for i in import_idx]
    first = import_idx[0] if import_idx else None
    last = import_idx[-1] if import_idx else None
    header = lines[:pkg_line + 1]
    body_start = (last + 1) if last is not None else pkg_line + 1
    # everything between package and the first import that is not an import or blank (comments) is kept in place
    between = [] if first is None else [l for l in lines[pkg_line + 1:last + 1]
                                        if l.strip() and not IMPORT.match(l)]
    body = '\n'.join(lines[body_start:])

    simple_taken = {}
    for static, name in imports:
        if not static and not name.endswith('.*'):
            simple_taken[name.rsplit('.', 1)[1]] = name
    same_package = set()
    d = os.path.dirname(path)
    for f in os.listdir(d):
        if f.endswith('.java'):
            same_package.add(f[:-5])
    declared = set(re.findall(r'\b(?:class|interface|enum|record)\s+([A-Z]\w*)', body))

    problems = []
    masked = strip_comments_and_strings(body)
    new_imports = set()
    pieces, pos = [], 0
    for m in FQN.finditer(masked):
        qual, simple = m.group(1), m.group(2)
        full = qual + simple
        if qual.rstrip('.') == 'java.lang':
            ok = simple not in declared and simple not in same_package and simple not in simple_taken
        else:
            taken = simple_taken.get(simple)
            ok = (taken in (None, full)) and (simple not in same_package or qual.rstrip('.') == package) \
                and simple not in declared
        if not ok:
            line_no = body[:m.start()].count('\n') + body_start + 1
            problems.append(f'{path}:{line_no}: {full} clashes with a simple name in scope: left as is')
            continue
        pieces.append(body[pos:m.start()]); pieces.append(simple); pos = m.end()
        if qual.rstrip('.') not in ('java.lang', package):
            simple_taken[simple] = full
            new_imports.add(full)
    pieces.append(body[pos:])
    body = ''.join(pieces)

    all_imports = set(imports) | {(False, n) for n in new_imports}
    masked_body = strip_comments_and_strings(body)
    # javadoc {@link X} references count as uses (checkstyle's UnusedImports processJavadoc=true)
    javadoc_refs = set(re.findall(r'[{@](?:link|linkplain|see|throws|exception)\s+#?([A-Z]\w*)', body))
    javadoc_refs |= set(re.findall(r'@(?:see|throws|exception)\s+([A-Z]\w*)', body))
    used_tokens = set(re.findall(r'\b[A-Za-z_]\w*\b', masked_body)) | javadoc_refs
    kept = []
    for static, name in sorted(all_imports):
        simple = name.rsplit('.', 1)[1]
        if name.endswith('.*') or simple in used_tokens:
            if not static and name.rsplit('.', 1)[0] in ('java.lang', package):
                continue
            kept.append((static, name))
    groups = {}
    for static, name in kept:
        groups.setdefault(group_of(name, static), []).append(name)
    block = []
    for g in sorted(groups):
        if block:
            block.append('')
        prefix = 'import static ' if g == 0 else 'import '
        block += [prefix + n + ';' for n in sorted(set(groups[g]), key=lambda s: s.split('.'))]
    rest = body.lstrip('\n')
    out = header + [''] + between + (block + [''] if block else []) + [rest]
    text = '\n'.join(out)
    if text != src:
        open(path, 'w', encoding='utf-8').write(text)
    return problems


def main(args):
    problems = []
    for a in args:
        if os.path.isdir(a):
            for root, _, files in os.walk(a):
                for f in files:
                    if f.endswith('.java'):
                        problems += fix(os.path.join(root, f))
        else:
            problems += fix(a)
    for p in problems:
        print(p)


if __name__ == '__main__':
    main(sys.argv[1:])
