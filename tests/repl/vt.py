"""A small VT100/xterm screen, enough to read what the user would see.

The REPL tests assert what is on the screen (the prompt, the half-typed
line after an event was printed above it), not the bytes that drew it, so
they keep passing when libedit chooses other cursor movements. This models
the subset of xterm that libedit and zksh emit: printable characters with
auto-wrap, CR/LF/BS/TAB, cursor movement, erase in line and display,
insert/delete characters, insert mode, save/restore cursor. Attributes
(colours) are ignored.
"""

import re

_CSI = re.compile(r"\x1b\[([?>]?)([0-9;]*)([@A-Za-z])")


class Screen:
    def __init__(self, rows=24, cols=100):
        self.rows, self.cols = rows, cols
        self.lines = [[" "] * cols for _ in range(rows)]
        self.r = self.c = 0
        self.wrap_pending = False
        self.insert_mode = False
        self.saved = (0, 0)
        self.pending = ""  # an escape sequence cut in two by a read

    # -- what the tests look at -------------------------------------------
    def text(self):
        return "\n".join(self.line(i) for i in range(self.rows))

    def line(self, i=None):
        return "".join(self.lines[self.r if i is None else i]).rstrip()

    def cursor_line(self):
        return self.line(self.r)

    # -- feeding ------------------------------------------------------------
    def feed(self, data):
        data = self.pending + data
        self.pending = ""
        i = 0
        while i < len(data):
            ch = data[i]
            if ch == "\x1b":
                n = self._escape(data, i)
                if n == 0:  # incomplete: wait for more
                    self.pending = data[i:]
                    return
                i += n
                continue
            self._char(ch)
            i += 1

    def _escape(self, data, i):
        if i + 1 >= len(data):
            return 0
        nxt = data[i + 1]
        if nxt == "[":
            m = _CSI.match(data, i)
            if m is None:
                # unfinished CSI (only digits and ; so far) or junk
                rest = data[i + 2:]
                if re.fullmatch(r"[?>]?[0-9;]*", rest):
                    return 0
                return 2
            self._csi(m.group(1), m.group(2), m.group(3))
            return m.end() - i
        if nxt in "()":
            return 3 if i + 2 < len(data) else 0
        if nxt == "7":
            self.saved = (self.r, self.c)
        elif nxt == "8":
            self.r, self.c = self.saved
            self.wrap_pending = False
        elif nxt == "M":
            self._up(1)
        return 2

    def _nums(self, params, default):
        out = []
        for p in params.split(";") if params else []:
            out.append(int(p) if p else default)
        return out or [default]

    def _csi(self, priv, params, cmd):
        if priv:
            return  # modes such as ?1h (keypad) do not change the text
        n = self._nums(params, 1)[0]
        if cmd == "A":
            self._up(n)
        elif cmd == "B":
            self.r = min(self.rows - 1, self.r + n)
        elif cmd == "C":
            self.c = min(self.cols - 1, self.c + n)
        elif cmd == "D":
            self.c = max(0, self.c - n)
        elif cmd == "G":
            self.c = min(self.cols - 1, n - 1)
        elif cmd == "d":
            self.r = min(self.rows - 1, n - 1)
        elif cmd in "Hf":
            nums = self._nums(params, 1) + [1]
            self.r = min(self.rows - 1, nums[0] - 1)
            self.c = min(self.cols - 1, nums[1] - 1)
        elif cmd == "K":
            self._erase_line(self._nums(params, 0)[0])
        elif cmd == "J":
            self._erase_display(self._nums(params, 0)[0])
        elif cmd == "P":
            row = self.lines[self.r]
            del row[self.c:self.c + n]
            row.extend([" "] * (self.cols - len(row)))
        elif cmd == "@":
            row = self.lines[self.r]
            for _ in range(n):
                row.insert(self.c, " ")
            del row[self.cols:]
        elif cmd == "h" and params == "4":
            self.insert_mode = True
        elif cmd == "l" and params == "4":
            self.insert_mode = False
        if cmd != "m":
            self.wrap_pending = False

    def _up(self, n):
        self.r = max(0, self.r - n)

    def _erase_line(self, how):
        row = self.lines[self.r]
        lo, hi = {0: (self.c, self.cols), 1: (0, self.c + 1), 2: (0, self.cols)}[how]
        for k in range(lo, hi):
            row[k] = " "

    def _erase_display(self, how):
        if how == 0:
            self._erase_line(0)
            for k in range(self.r + 1, self.rows):
                self.lines[k] = [" "] * self.cols
        elif how == 1:
            for k in range(0, self.r):
                self.lines[k] = [" "] * self.cols
            self._erase_line(1)
        else:
            self.lines = [[" "] * self.cols for _ in range(self.rows)]

    def _newline(self):
        if self.r == self.rows - 1:
            self.lines.pop(0)
            self.lines.append([" "] * self.cols)
        else:
            self.r += 1

    def _char(self, ch):
        if ch == "\r":
            self.c = 0
            self.wrap_pending = False
        elif ch == "\n":
            self._newline()
            self.wrap_pending = False
        elif ch == "\b":
            self.c = max(0, self.c - 1)
            self.wrap_pending = False
        elif ch == "\t":
            self.c = min(self.cols - 1, (self.c // 8 + 1) * 8)
        elif ch < " " or ch == "\x7f":
            return  # bell and other controls draw nothing
        else:
            self._put(ch)

    def _put(self, ch):
        if self.wrap_pending:
            self.c = 0
            self._newline()
            self.wrap_pending = False
        row = self.lines[self.r]
        if self.insert_mode:
            row.insert(self.c, ch)
            del row[self.cols:]
        else:
            row[self.c] = ch
        if self.c == self.cols - 1:
            self.wrap_pending = True
        else:
            self.c += 1
