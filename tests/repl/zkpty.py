"""Drive zksh's interactive shell on a pseudo-terminal.

Everything zksh writes goes into a vt.Screen (what the user sees) and a raw
transcript (for output that has scrolled away). Waits poll the screen with
a generous deadline: tests assert behaviour, never speed.
"""

import os
import re
import signal
import sys
import time

import pexpect

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vt  # noqa: E402

TIMEOUT = float(os.environ.get("REPL_TIMEOUT", "30"))
PROMPT = re.compile(r"\[zk: [^\]]*\((\w+)\) (\d+)\] (\S*)>")


class Failure(Exception):
    pass


def test_env(home):
    """An environment whose home, config and state dirs are all under home."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "ZKSH_HIST", "NO_COLOR"))}
    env.update(HOME=home, TERM="xterm", LANG="C.UTF-8", LC_ALL="C.UTF-8",
               XDG_STATE_HOME=os.path.join(home, "state"),
               XDG_CONFIG_HOME=os.path.join(home, "config"))
    env.pop("EDITRC", None)
    return env


class Shell:
    def __init__(self, args, env, rows=24, cols=100, program=None):
        self.screen = vt.Screen(rows, cols)
        self.raw = ""
        self.child = pexpect.spawn(program or os.environ["ZKSH"], args, env=env,
                                   dimensions=(rows, cols), encoding="utf-8",
                                   codec_errors="replace")

    # -- reading ---------------------------------------------------------------
    def pump(self, wait=0.05):
        """Feed what zksh wrote (waiting up to `wait` for the first bytes)."""
        got = False
        while True:
            try:
                data = self.child.read_nonblocking(65536, timeout=wait)
            except pexpect.TIMEOUT:
                return got
            except pexpect.EOF:
                return got
            self.raw += data
            self.screen.feed(data)
            got = True
            wait = 0.02

    def wait(self, pred, what, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            self.pump()
            if pred():
                return
            if time.monotonic() > deadline:
                raise Failure("timed out waiting for %s\n--- screen ---\n%s\n--- end ---"
                              % (what, self.screen.text()))

    def prompt(self):
        """(state, counter, cwd, typed) of the prompt on the cursor's line, or None."""
        line = self.screen.cursor_line()
        m = PROMPT.search(line)
        if m is None:
            return None
        # blanks the user typed count up to the cursor: "get config " after a Tab
        raw = "".join(self.screen.lines[self.screen.r])
        typed = raw[m.end() + 1:max(len(line), self.screen.c)]  # after "> "
        return m.group(1), int(m.group(2)), m.group(3), typed

    def wait_prompt(self, counter=None, state="CONNECTED", typed="", timeout=TIMEOUT):
        def ok():
            p = self.prompt()
            return (p is not None and (state is None or p[0] == state) and
                    (counter is None or p[1] == counter) and
                    (typed is None or p[3] == typed))
        self.wait(ok, "prompt counter=%s state=%s typed=%r" % (counter, state, typed),
                  timeout)
        return self.prompt()

    def wait_text(self, pattern, timeout=TIMEOUT):
        """Wait for a regex in the transcript since the last mark()."""
        rx = re.compile(pattern)
        self.wait(lambda: rx.search(self.raw[self.mark_at:]) is not None,
                  "output matching %r" % pattern, timeout)
        return rx.search(self.raw[self.mark_at:])

    mark_at = 0

    def mark(self):
        self.pump(0.01)
        self.mark_at = len(self.raw)

    # -- typing ------------------------------------------------------------------
    def type(self, text):
        self.child.send(text)

    def run(self, line, timeout=TIMEOUT):
        """Type line and Enter; wait for the next prompt; return the output between."""
        p = self.wait_prompt(state=None, typed=None)
        self.mark()
        self.child.send(line + "\r")
        self.wait_prompt(counter=p[1] + 1, state=None, timeout=timeout)
        return self.output_since_mark()

    def output_since_mark(self):
        """Transcript since mark(), escapes removed, prompts dropped."""
        text = re.sub(r"\x1b\[[?>]?[0-9;]*[@A-Za-z]|\x1b[()][A-Z0-9]|\x1b.", "",
                      self.raw[self.mark_at:])
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return [ln for ln in text.split("\n") if ln and not PROMPT.search(ln)]

    def signal(self, sig):
        os.kill(self.child.pid, sig)

    def close(self):
        if self.child.isalive():
            self.child.kill(signal.SIGKILL)
        self.child.close(force=True)

    def exit_status(self, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while self.child.isalive():
            self.pump(0.1)
            if time.monotonic() > deadline:
                raise Failure("zksh did not exit\n%s" % self.screen.text())
        self.child.close()
        return self.child.exitstatus


def check(cond, msg, sh=None):
    if not cond:
        if sh is not None:
            msg += "\n--- screen ---\n%s\n--- end ---" % sh.screen.text()
        raise Failure(msg)
