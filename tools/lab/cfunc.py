# SPDX-License-Identifier: MIT
"""Find a C function definition by name, without a compiler.

The lab tools replace the bodies of chosen kernel functions, so they must find a
function exactly: its header (return type, name, parameters) and its body, from the
opening brace to the matching closing one.  Braces inside comments, strings,
character constants and preprocessor lines must not count, so the source is first
"blanked": every such character becomes a space (newlines stay), and the structure is
then read from what is left.

    find_function(text, "pt_walk") -> Function(start, open_brace, end)

    text[start:open_brace]   the header, "int pt_walk(u64 va, ...)\n"
    text[open_brace:end]     the body, "{ ... }"

Only definitions at file scope count; calls and declarations are skipped.  The name
may be written in parentheses, as in "int (memblock_add)(...)", the C way to define a
function that a macro of the same name would otherwise hide.
"""

import re


class FunctionNotFound(Exception):
    pass


class Function:
    def __init__(self, name, start, open_brace, end):
        self.name, self.start, self.open_brace, self.end = name, start, open_brace, end

    def header(self, text):
        return text[self.start:self.open_brace]

    def body(self, text):
        return text[self.open_brace:self.end]

    def source(self, text):
        return text[self.start:self.end]


def blank(text):
    """`text` with comments, strings, character constants and preprocessor lines
    turned into spaces.  Same length, same newlines, so positions carry over."""
    out = list(text)
    i, n = 0, len(text)
    at_line_start = True  # only whitespace so far on this line

    def wipe(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if c == "\n":
            at_line_start = True
            i += 1
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if at_line_start and c == "#":
            # A directive runs to the end of the line, longer with backslash-newline.
            j = i
            while j < n and text[j] != "\n":
                if text.startswith("/*", j):  # a comment may hide a newline
                    close = text.find("*/", j + 2)
                    j = n if close < 0 else close + 2
                    continue
                if text[j] == "\\" and j + 1 < n and text[j + 1] == "\n":
                    j += 2
                    continue
                j += 1
            wipe(i, j)
            i = j
            continue
        at_line_start = False
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            wipe(i, j)
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            wipe(i, j)
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            wipe(i, j)
            i = j
        else:
            i += 1
    return "".join(out)


def _match(code, pos, opening, closing):
    """Index just past the bracket that closes the one at `pos`."""
    depth = 0
    for i in range(pos, len(code)):
        if code[i] == opening:
            depth += 1
        elif code[i] == closing:
            depth -= 1
            if depth == 0:
                return i + 1
    raise FunctionNotFound(f"unbalanced {opening}{closing} from offset {pos}")


def _depths(code):
    """Brace depth at every position (before the character there)."""
    depth, out = 0, []
    for c in code:
        out.append(depth)
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
    return out


IDENT = re.compile(r"[A-Za-z_]\w*")


def _after_params(code, pos):
    """Skip what may sit between a parameter list and the body: whitespace and
    attribute-like words, with or without arguments.  Returns the position of the next
    other character."""
    n = len(code)
    while pos < n:
        if code[pos].isspace():
            pos += 1
            continue
        m = IDENT.match(code, pos)
        if not m:
            return pos
        pos = m.end()
        while pos < n and code[pos].isspace():
            pos += 1
        if pos < n and code[pos] == "(":
            pos = _match(code, pos, "(", ")")
    return pos


def _header_start(code, depths, pos):
    """Where the declaration containing `pos` begins: after the previous ';' or '}' at
    file scope, or the start of the file, skipping whitespace (blanked comments)."""
    i = pos
    while i > 0 and not (code[i - 1] in ";}" and depths[i - 1] == (0 if code[i - 1] == ";" else 1)):
        i -= 1
    while code[i].isspace():
        i += 1
    return i


def find_functions(text, name):
    """Every file-scope definition of `name` in `text` (normally one)."""
    code = blank(text)
    depths = _depths(code)
    found = []
    pattern = re.compile(r"(?<![\w])(?:\(\s*" + re.escape(name) + r"\s*\)|" + re.escape(name) +
                         r")\s*\(")
    for m in pattern.finditer(code):
        if depths[m.start()] != 0:
            continue
        params = m.end() - 1
        after = _after_params(code, _match(code, params, "(", ")"))
        if after >= len(code) or code[after] != "{":
            continue  # a declaration or a prototype, not a definition
        end = _match(code, after, "{", "}")
        found.append(Function(name, _header_start(code, depths, m.start()), after, end))
    return found


def find_function(text, name):
    funcs = find_functions(text, name)
    if not funcs:
        raise FunctionNotFound(f"no definition of {name}()")
    if len(funcs) > 1:
        raise FunctionNotFound(f"{name}() is defined {len(funcs)} times")
    return funcs[0]


def replace_function(text, name, new_source):
    """`text` with the whole definition of `name` (header and body) replaced."""
    f = find_function(text, name)
    return text[:f.start] + new_source + text[f.end:]


def replace_body(text, name, new_body):
    """`text` with the body of `name` replaced; the header stays as it is."""
    f = find_function(text, name)
    return text[:f.open_brace] + new_body + text[f.end:]
