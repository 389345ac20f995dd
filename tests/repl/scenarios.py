"""Interactive-shell scenarios, one per bats test: `scenarios.py NAME`.

Each drives zksh on a pseudo-terminal (zkpty) against the server in
$ZK_CONNECT, with HOME and the XDG directories in a fresh temporary
directory, and exits 0 when the behaviour is right. Lines starting with
"# " are passed on as TAP comments (measurements, never assertions).
"""

import base64
import hashlib
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zkpty import Failure, Shell, check, test_env  # noqa: E402

ZK = os.environ.get("ZK_CONNECT", "")
HOME = tempfile.mkdtemp(prefix="zksh-repl-")
HISTFILE = os.path.join(HOME, "state", "zksh", "history")


SHELLS = []
SOCKETS = []


def start(*args, env=None, server=True, rows=24, cols=100):
    argv = (["-server", ZK] if server else []) + list(args)
    sh = Shell(argv, env or test_env(HOME), rows=rows, cols=cols)
    SHELLS.append(sh)
    return sh


def batch(*args):
    """zksh in batch mode against the test server."""
    return subprocess.run([os.environ["ZKSH"], "-server", ZK] + list(args),
                          capture_output=True, text=True, timeout=60)


def lib(cmd):
    """A tests/lib/zk.bash function (ZK_BASE from the environment)."""
    src = os.path.join(os.environ["ZKSH_SRCDIR"], "tests", "lib", "zk.bash")
    subprocess.run(["bash", "-c", '. "$0"; ' + cmd, src], check=True, timeout=120)


def digest(user_password):
    user = user_password.split(":")[0]
    sha = hashlib.sha1(user_password.encode()).digest()
    return user + ":" + base64.b64encode(sha).decode()


# ---- scenarios -----------------------------------------------------------------


def ls_advances_counter():
    sh = start()
    sh.wait_prompt(counter=0)
    out = sh.run("ls /")
    check(out == ["ls /", "[app, big, t, zookeeper]"], "ls / printed %r" % out, sh)
    state, counter, cwd, typed = sh.wait_prompt(counter=1)
    check(cwd == "/" and typed == "", "prompt after ls: %r" % (sh.prompt(),), sh)
    return sh


def tab_completes_paths():
    sh = start()
    sh.wait_prompt(counter=0)
    sh.type("get /ap\t")
    sh.wait_prompt(counter=0, typed="get /app")
    # Enter runs what the line says: the completed path
    sh.mark()
    sh.type("\r")
    sh.wait_prompt(counter=1)
    sh.run("cd /app")
    check(sh.prompt()[2] == "/app", "cd /app did not change the prompt", sh)
    sh.type("get conf\t")
    sh.wait_prompt(counter=2, typed="get config ")  # a leaf: a blank after it
    sh.type("\x15ls ../ap\t")  # ^U kills the line
    sh.wait_prompt(counter=2, typed="ls ../app")
    sh.type("\t")  # /app has children: a second Tab adds the slash
    sh.wait_prompt(counter=2, typed="ls ../app/")
    sh.type("\t")  # the common part of config and cool
    sh.wait_prompt(counter=2, typed="ls ../app/co")
    sh.type("\t")  # nothing more in common: the choices are listed
    sh.wait(lambda: re.search(r"^config +cool$", sh.screen.text(), re.M) is not None,
            "the listing of /app's children")
    sh.wait_prompt(counter=2, typed="ls ../app/co")
    return sh


def tab_completes_commands_and_flags():
    sh = start()
    sh.wait_prompt(counter=0)
    sh.type("pw\t")
    sh.wait_prompt(counter=0, typed="pwd ")
    sh.type("\x15stat -\t")
    sh.wait_prompt(counter=0, typed="stat -w ")
    sh.type("\x15help pw\t")  # help completes command names
    sh.wait_prompt(counter=0, typed="help pwd ")
    sh.type("\x15set /app/config \t")  # the data argument: nothing to offer
    sh.wait_prompt(counter=0, typed="set /app/config ")
    return sh


def watch_event_above_prompt():
    sh = start()
    sh.wait_prompt(counter=0)
    out = sh.run("get -w /app/config")
    check(out[-1] == "v0", "get -w printed %r" % out, sh)
    sh.type("get /co")
    sh.wait_prompt(counter=1, typed="get /co")
    sh.mark()
    res = batch("set", "/app/config", "v1")
    check(res.returncode == 0, "set failed: %s" % res.stderr)
    sh.wait_text(r"WATCHER::\r\n\r\nWatchedEvent state:SyncConnected type:NodeDataChanged "
                 r"path:/app/config")
    # the event sits above the prompt, and the half-typed line is intact
    sh.wait_prompt(counter=1, typed="get /co")
    rows = sh.screen.text().split("\n")
    ev = [i for i, r in enumerate(rows) if "type:NodeDataChanged" in r]
    check(ev and ev[-1] < sh.screen.r, "event not above the prompt", sh)
    # and it is the editor's buffer too, not only the picture of it
    sh.mark()
    sh.type("\x7f\x7fapp/config\r")
    sh.wait_prompt(counter=2)
    check("v1" in sh.output_since_mark(), "get after the event: %r" % sh.output_since_mark(),
          sh)
    batch("set", "/app/config", "v0")
    return sh


def secrets_stay_out_of_history():
    sh = start()
    sh.wait_prompt(counter=0)
    sh.run("addauth digest u:secret")
    node = "/t/secure%d" % os.getpid()
    sh.run("create %s x digest:%s:cdrwa" % (node, digest("u:secret")))
    out = sh.run("get " + node)
    check(out[-1] == "x", "get with the credential: %r" % out, sh)
    out = sh.run("history")
    check("0 - addauth digest ***" in out, "history listing: %r" % out, sh)
    check(not any("secret" in ln for ln in out), "history shows the secret: %r" % out, sh)
    sh.run("digest u:password")
    sh.type("quit\r")
    check(sh.exit_status() == 0, "quit status", sh)
    text = open(HISTFILE).read()
    check("secret" not in text and "password" not in text, "history file has: %r" % text)
    check("get " + node in text, "history file lacks get: %r" % text)
    mode = stat.S_IMODE(os.stat(HISTFILE).st_mode)
    check(mode == 0o600, "history file mode %o" % mode)
    return None


def typos_and_plaintext_acls_stay_out_of_history():
    """issue 7 item 10: a misspelled addauth and a plaintext digest ACL."""
    sh = start()
    sh.wait_prompt(counter=0)
    out = sh.run("addauht digest alice:secret2")
    check(any("addauht" in ln for ln in out), "unknown command: %r" % out, sh)
    out = sh.run("setAcl /t digest:alice:secret6")
    check(any("'digest user:password' computes it" in ln for ln in out),
          "no digest hint: %r" % out, sh)
    sh.run("ls /app")
    out = sh.run("history")
    check(not any("secret2" in ln or "secret6" in ln for ln in out),
          "history shows a secret: %r" % out, sh)
    check("1 - setAcl /t ***" in out, "history listing: %r" % out, sh)
    sh.type("quit\r")
    sh.exit_status()
    text = open(HISTFILE).read()
    check("secret2" not in text and "secret6" not in text, "history file has: %r" % text)
    check("addauht" not in text and "digest:" not in text, "history file has: %r" % text)
    check("ls /app\n" in text, "history file lacks ls: %r" % text)
    return None


def history_persists_and_redo():
    sh = start()
    sh.wait_prompt(counter=0)
    sh.run("ls /app")
    sh.run("pwd")
    sh.type("\x04")
    sh.exit_status()
    sh = start()
    sh.wait_prompt(counter=0)
    sh.type("\x1b[A")  # up: the last line of the previous run
    sh.wait_prompt(counter=0, typed="pwd")
    sh.type("\x1b[A")
    sh.wait_prompt(counter=0, typed="ls /app")
    sh.type("\x15")
    out = sh.run("ls /app")
    check(out[-1] == "[config, cool]", "ls /app: %r" % out, sh)
    out = sh.run("redo 0")
    check(out[-1] == "[config, cool]", "redo 0: %r" % out, sh)
    out = sh.run("redo 7")
    check(out[-1] == "Command index out of range", "redo 7: %r" % out, sh)
    out = sh.run("history")
    # the lines of the previous run that Up recalled come first, numbered -2, -1
    check(out[1:] == ["-2 - ls /app", "-1 - pwd", "0 - ls /app", "1 - ls /app", "2 - redo 7",
                      "3 - history"],
          "history: %r" % out, sh)
    return sh


def history_lists_what_up_recalls():
    sh = start()
    sh.wait_prompt(counter=0)
    sh.run("ls /app")
    sh.run("pwd")
    sh.type("\x04")
    sh.exit_status()
    sh = start()
    sh.wait_prompt(counter=0)
    sh.run("pwd")
    sh.run("pwd")  # a repeat: listed, and recalled
    out = sh.run("redo -2")  # an earlier run's line, as history numbers it
    check(out[-1] == "[config, cool]", "redo -2: %r" % out, sh)
    out = sh.run("history")
    want = ["-2 - ls /app", "-1 - pwd", "0 - pwd", "1 - pwd", "2 - ls /app", "3 - history"]
    check(out[1:] == want, "history: %r" % out, sh)
    # Up walks the same lines, newest first: the redone line, not "redo -2"
    for typed in ["history", "ls /app", "pwd", "pwd", "pwd", "ls /app"]:
        sh.type("\x1b[A")
        sh.wait_prompt(counter=4, typed=typed)
    sh.type("\x15")
    out = sh.run("history 2")
    check(out[1:] == ["2 - ls /app", "3 - history", "4 - history 2"], "history 2: %r" % out, sh)
    return sh


def dead_stdout_stops_the_shell():
    # stdout on a full device, the keyboard on the terminal: one message, exit 5
    sh = Shell(["-c", 'exec "$ZKSH" -server "$1" >/dev/full', "sh", ZK], test_env(HOME),
               program="/bin/sh")
    SHELLS.append(sh)
    # no mark(): its pump could take in the message before marking past it
    sh.wait_text(r"zksh: write error: No space left on device")
    status = sh.exit_status()
    check(status == 5, "exit status %r" % status, sh)
    # stdout a pipe nobody reads: a quiet stop, not a shell spinning on EPIPE
    sh = Shell(["-c", '"$ZKSH" -server "$1" | true; echo "zksh exit ${PIPESTATUS[0]}" >&2',
                "bash", ZK], test_env(HOME), program="/bin/bash")
    SHELLS.append(sh)
    m = sh.wait_text(r"zksh exit (\d+)")
    check(m.group(1) in ("5", "141"), "exit status %s" % m.group(1), sh)
    check("write error" not in sh.raw, "a message for a closed pipe: %r" % sh.raw, sh)
    return sh


def history_file_is_bounded():
    env = test_env(HOME)
    env["ZKSH_HISTSIZE"] = "5"
    os.makedirs(os.path.dirname(HISTFILE), exist_ok=True)
    with open(HISTFILE, "w") as f:
        f.write("".join("pwd %d\n" % i for i in range(20)))
    os.chmod(HISTFILE, 0o644)
    sh = start(env=env)
    sh.wait_prompt(counter=0)
    for i in range(3):
        sh.run("ls /app # %d" % i)
    sh.type("\x04")
    sh.exit_status()
    lines = open(HISTFILE).read().splitlines()
    check(lines == ["pwd 17", "pwd 18", "pwd 19", "ls /app # 0", "ls /app # 1",
                    "ls /app # 2"][-5:], "bounded history: %r" % lines)
    mode = stat.S_IMODE(os.stat(HISTFILE).st_mode)
    check(mode == 0o600, "history file mode %o" % mode)
    # without XDG_STATE_HOME: ~/.zksh_history
    del env["XDG_STATE_HOME"]
    sh = start(env=env)
    sh.wait_prompt(counter=0)
    sh.run("pwd")
    sh.type("\x04")
    sh.exit_status()
    check(open(os.path.join(HOME, ".zksh_history")).read() == "pwd\n", "~/.zksh_history")
    return None


def ctrl_c_stops_ls_R():
    sh = start()
    sh.wait_prompt(counter=0)
    sh.mark()
    sh.type("ls -R /big\r")
    sh.wait_text(r"/big/p\d+/n\d+\r\n", timeout=60)
    t0 = time.monotonic()
    sh.type("\x03")
    sh.wait_prompt(counter=1, timeout=60)
    took = time.monotonic() - t0
    out = sh.output_since_mark()
    m = [ln for ln in out if "interrupted after" in ln]
    check(m, "no interruption report in %r" % out[-5:], sh)
    print("# Ctrl-C to prompt: %.3f s (%s; %d lines printed)" % (took, m[0].strip("^C"),
                                                                 len(out)))
    out = sh.run("ls /app")
    check(out[-1] == "[config, cool]", "still connected? %r" % out, sh)
    check(sh.prompt()[0] == "CONNECTED", "state after Ctrl-C", sh)
    return sh


def ctrl_c_cancels_line():
    sh = start()
    sh.wait_prompt(counter=0)
    sh.type("get /app/nothing")
    sh.wait_prompt(counter=0, typed="get /app/nothing")
    sh.type("\x03")
    sh.wait_prompt(counter=0, typed="")
    check(re.search(r"/> get /app/nothing\^C$", sh.screen.text(), re.M) is not None,
          "the cancelled line", sh)
    out = sh.run("ls /app")
    check(out == ["ls /app", "[config, cool]"], "after Ctrl-C: %r" % out, sh)
    return sh


def silent_server():
    """A port that accepts TCP connections and never answers (a refused one
    now fails at once, so waiting needs a server that says nothing)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    SOCKETS.append(s)
    return "127.0.0.1:%d" % s.getsockname()[1]


def ctrl_c_while_connecting():
    addr = silent_server()
    sh = start("-server", addr, "-timeout", "60000", server=False)
    sh.wait_prompt(counter=0, state="CONNECTING")
    sh.mark()
    sh.type("ls /\r")
    time.sleep(0.5)
    sh.type("\x03")
    sh.wait_text(r"Interrupted while connecting to " + re.escape(addr))
    sh.wait_prompt(counter=1, state="CONNECTING")
    return sh


def connecting_is_shown():
    addr = silent_server()
    sh = start("-server", addr, "-timeout", "60000", server=False)
    sh.wait_prompt(counter=0, state="CONNECTING")
    sh.mark()
    sh.type("ls /\r")
    sh.wait_text(r"zksh: connecting to " + re.escape(addr) + r" \.\.\.", timeout=10)
    sh.type("\x03")
    sh.wait_prompt(counter=1, state="CONNECTING")
    return sh


def refused_fails_fast():
    sh = start("-server", "127.0.0.1:1", "-timeout", "60000", server=False)
    sh.wait_prompt(counter=0, state="CONNECTING")
    sh.mark()
    sh.type("ls /\r")
    sh.wait_text(r"Could not connect to 127\.0\.0\.1:1 \(connection refused\)", timeout=10)
    sh.wait_prompt(counter=1, state=None)
    return sh


def ctrl_c_stops_frozen_walk():
    """ls -R against a server stopped with SIGSTOP: Ctrl-C gives the prompt back."""
    sh = start("-timeout", "30000")
    sh.wait_prompt(counter=0)
    pid = int(open(os.path.join(os.environ["ZK_BASE"], "1", "pid")).read())
    os.kill(pid, signal.SIGSTOP)
    try:
        sh.mark()
        sh.type("ls -R /\r")
        time.sleep(0.5)
        t0 = time.monotonic()
        sh.type("\x03")
        sh.wait_text(r"ls -R: interrupted after", timeout=5)
        sh.wait_prompt(counter=1, state=None, timeout=5)
        print("# Ctrl-C to prompt with the server frozen: %.3f s" % (time.monotonic() - t0))
    finally:
        os.kill(pid, signal.SIGCONT)
    out = sh.run("ls /zookeeper", timeout=60)
    check(out[-1] == "[config, quota]", "after the thaw: %r" % out, sh)
    return sh


def exit_status_of_last_command():
    sh = start()
    sh.wait_prompt(counter=0)
    out = sh.run("get /app/nothing")
    check(out[-1] == "Node does not exist: /app/nothing", "error: %r" % out, sh)
    sh.type("\x04")  # Ctrl-D
    status = sh.exit_status()
    check(status == 1, "Ctrl-D after a failed get exits %s" % status)
    sh = start()
    sh.wait_prompt(counter=0)
    sh.run("ls /")
    sh.type("quit\r")
    status = sh.exit_status()
    check(status == 0, "quit after ls exits %s" % status)
    return None


def zkshrc_and_zksh_server():
    env = test_env(HOME)
    env["ZKSH_SERVER"] = ZK
    with open(os.path.join(HOME, ".zkshrc"), "w") as f:
        f.write("# start-up\ncd /app\nget /app/nothing\nprintwatches off\n")
    sh = start(env=env, server=False)
    state, counter, cwd, typed = sh.wait_prompt(counter=0)
    check(cwd == "/app", "cwd after ~/.zkshrc: %s" % cwd, sh)
    check("[zk: %s(" % ZK in sh.screen.cursor_line(), "ZKSH_SERVER in the prompt", sh)
    check(re.search(r"\.zkshrc:3: Node does not exist: /app/nothing", sh.raw),
          "rc error names file and line", sh)
    out = sh.run("printwatches")
    check(out[-1] == "printwatches is off", "printwatches: %r" % out, sh)
    sh.close()
    # $XDG_CONFIG_HOME/zksh/zkshrc comes first
    os.makedirs(os.path.join(HOME, "config", "zksh"), exist_ok=True)
    with open(os.path.join(HOME, "config", "zksh", "zkshrc"), "w") as f:
        f.write("cd /big\n")
    sh = start(env=env, server=False)
    check(sh.wait_prompt(counter=0)[2] == "/big", "XDG zkshrc not used", sh)
    return sh


def colour_only_on_request():
    sh = start()
    sh.wait_prompt(counter=0)
    check("\x1b[32mCONNECTED\x1b[0m" in sh.raw, "no colour in %r" % sh.raw[-200:], sh)
    sh.close()
    env = test_env(HOME)
    env["NO_COLOR"] = "1"
    for s in (start(env=env), start("--no-color")):
        s.wait_prompt(counter=0)
        out = s.run("get /app/nothing")
        check(re.search(r"\x1b\[[0-9;]*m", s.raw) is None,
              "colour despite NO_COLOR/--no-color: %r" % s.raw[-300:], s)
        s.close()
    return None


def close_and_connect():
    sh = start()
    sh.wait_prompt(counter=0)
    sh.run("close")
    sh.wait_prompt(counter=1, state="CLOSED")
    out = sh.run("ls /app")
    check(any("Not connected" in ln for ln in out), "ls after close: %r" % out, sh)
    sh.run("connect " + ZK)
    sh.wait_prompt(counter=3, state="CONNECTED")
    out = sh.run("ls /app")
    check(out[-1] == "[config, cool]", "ls after connect: %r" % out, sh)
    return sh


def connect_targets_from_history():
    os.makedirs(os.path.dirname(HISTFILE), exist_ok=True)
    with open(HISTFILE, "w") as f:
        f.write("connect 10.9.8.7:2181\nls /\n")
    sh = start()
    sh.wait_prompt(counter=0)
    sh.type("connect 10.\t")
    sh.wait_prompt(counter=0, typed="connect 10.9.8.7:2181 ")
    return sh


def vi_mode_from_editrc():
    with open(os.path.join(HOME, ".editrc"), "w") as f:
        f.write("bind -v\n")
    sh = start()
    sh.wait_prompt(counter=0)
    sh.type("ls /appXY")
    sh.wait_prompt(counter=0, typed="ls /appXY")
    sh.type("\x1b")  # command mode
    time.sleep(0.3)  # let the lone ESC be read as a key, not a sequence
    sh.type("xx")
    sh.wait_prompt(counter=0, typed="ls /app")
    sh.mark()
    sh.type("\r")
    sh.wait_prompt(counter=1)
    check(sh.output_since_mark()[-1] == "[config, cool]", "vi-edited line ran", sh)
    sh.type("get /ap\t")  # Tab completes in vi insert mode too
    sh.wait_prompt(counter=1, typed="get /app")
    return sh


def window_resize():
    sh = start(cols=100)
    sh.wait_prompt(counter=0)
    sh.run("get -w /app/cool")
    sh.child.setwinsize(24, 60)  # the kernel sends SIGWINCH
    sh.screen = type(sh.screen)(24, 60)
    sh.type("\x0c")  # ^L: clear the screen, draw the prompt at the new width
    sh.wait_prompt(counter=1)
    line = "ls /app/" + "x" * 60
    sh.type(line)
    sh.wait(lambda: sh.screen.cursor_line().endswith("xxxx"), "the long line")
    sh.mark()
    batch("set", "/app/cool", "c1")
    sh.wait_text(r"NodeDataChanged path:/app/cool")
    # redrawn below the event, wrapped at 60 columns, no stale half above it
    def redrawn():
        rows = [r for r in sh.screen.text().split("\n") if r.strip()]
        ev = max(i for i, r in enumerate(rows) if "app/cool" in r)
        after = rows[ev + 1:]
        return (len(after) == 2 and after[0].startswith("[zk: ") and len(after[0]) == 60 and
                (after[0] + after[1]).endswith(line) and "NodeDataChanged" in rows[ev - 1])
    sh.wait(redrawn, "the wrapped line redrawn below the event")
    sh.type("\x15")
    out = sh.run("ls /app")
    check(out[-1] == "[config, cool]", "after resize: %r" % out, sh)
    batch("set", "/app/cool", "")
    return sh


def ctrl_z_suspends_and_fg_resumes():
    """Under a job-control shell, as a user would run it."""
    env = test_env(HOME)
    env["PS1"] = "$ "
    sh = Shell(["--norc", "--noprofile", "-i"], env, program="bash")
    SHELLS.append(sh)
    sh.wait(lambda: sh.screen.cursor_line() == "$", "bash's prompt")
    sh.type("%s -server %s\r" % (os.environ["ZKSH"], ZK))
    sh.wait_prompt(counter=0)
    sh.type("ls /ap")
    sh.wait_prompt(counter=0, typed="ls /ap")
    sh.type("\x1a")
    sh.wait(lambda: re.search(r"Stopped.*zksh", sh.screen.text()) is not None and
            sh.screen.cursor_line() == "$", "the job stopped and bash's prompt back")
    sh.type("fg\r")
    sh.wait_prompt(counter=0, typed="ls /ap")  # the line is redrawn as it was
    sh.mark()
    sh.type("p\r")
    sh.wait_prompt(counter=1)
    check(sh.output_since_mark()[-1] == "[config, cool]", "ls /app after fg", sh)
    sh.type("\x04")
    sh.wait(lambda: sh.screen.cursor_line() == "$", "back in bash")
    return sh


def zsh_completion():
    """completions/_zksh in an interactive zsh."""
    env = test_env(HOME)
    fdir = os.path.join(os.environ["ZKSH_SRCDIR"], "completions")
    bindir = os.path.join(HOME, "bin")
    os.makedirs(bindir)
    os.symlink(os.environ["ZKSH"], os.path.join(bindir, "zksh"))
    env.update(ZDOTDIR=HOME, PATH=bindir + ":" + env["PATH"])
    with open(os.path.join(HOME, ".zshrc"), "w") as f:
        f.write("fpath=(%s $fpath)\nautoload -Uz compinit && compinit -u\nPS1='%%%% '\n" % fdir)
    sh = Shell(["-i"], env, program="zsh")
    SHELLS.append(sh)
    sh.wait(lambda: sh.screen.cursor_line() == "%", "zsh's prompt")
    for typed, want in [("zksh --no-c", "zksh --no-color "),
                        ("zksh -server %s ge" % ZK, "zksh -server %s get" % ZK),
                        ("zksh -server %s get /ap" % ZK, "zksh -server %s get /app " % ZK),
                        ("zksh -server %s stat -" % ZK, "zksh -server %s stat -w " % ZK)]:
        sh.type(typed + "\t")
        sh.wait(lambda: sh.screen.cursor_line()[2:] + " " * (sh.screen.c - len(
            sh.screen.cursor_line())) == want, "zsh completing %r to %r" % (typed, want))
        sh.type("\x15")
        sh.wait(lambda: sh.screen.cursor_line() == "%", "an empty zsh line")
    return sh


def bash_completion():
    """completions/zksh.bash in an interactive bash, where bash itself splits
    the line at COMP_WORDBREAKS (so `-server 127.0.0.1:PORT` is four words)."""
    env = test_env(HOME)
    bindir = os.path.join(HOME, "bin")
    os.makedirs(bindir, exist_ok=True)
    link = os.path.join(bindir, "zksh")
    if not os.path.exists(link):
        os.symlink(os.environ["ZKSH"], link)
    env.update(PATH=bindir + ":" + env["PATH"], PS1="$ ")
    rc = os.path.join(HOME, ".bashrc-zksh")
    with open(rc, "w") as f:
        f.write("PS1='$ '\nsource %s/completions/zksh.bash\n" % os.environ["ZKSH_SRCDIR"])
    sh = Shell(["--noprofile", "--rcfile", rc, "-i"], env, program="bash")
    SHELLS.append(sh)
    sh.wait(lambda: sh.screen.cursor_line() == "$", "bash's prompt")
    for typed, want in [("zksh -server %s get /ap" % ZK, "zksh -server %s get /app " % ZK),
                        ("zksh --server=%s get /ap" % ZK, "zksh --server=%s get /app " % ZK),
                        ("zksh -server %s pw" % ZK, "zksh -server %s pwd " % ZK),
                        ("zksh -server %s stat -" % ZK, "zksh -server %s stat -w " % ZK)]:
        sh.type(typed + "\t")
        sh.wait(lambda: sh.screen.cursor_line()[2:] + " " * (sh.screen.c - len(
            sh.screen.cursor_line())) == want, "bash completing %r to %r" % (typed, want))
        sh.type("\x15")
        sh.wait(lambda: sh.screen.cursor_line() == "$", "an empty bash line")
    return sh


def server_restart():
    sh = start("-timeout", "30000")
    sh.wait_prompt(counter=0)
    sh.run("create /restart x")
    lib("zk_kill 1")
    sh.wait_prompt(counter=1, state="CONNECTING")
    check("WatchedEvent state:Disconnected type:None path:null" in sh.screen.text(),
          "disconnect not shown", sh)
    lib("zk_restart 1")
    sh.wait_prompt(counter=1, state="CONNECTED", timeout=60)
    out = sh.run("get /restart")
    check(out[-1] == "x", "get after restart: %r" % out, sh)
    return sh


def session_expiry():
    sh = start("-timeout", "4000")
    sh.wait_prompt(counter=0)
    sh.run("addauth digest u:secret")
    node = "/exp%d" % os.getpid()
    sh.run("create %s x digest:%s:cdrwa" % (node, digest("u:secret")))
    sh.run("create -e /eph%d" % os.getpid())
    sh.mark()
    # stopped longer than the session timeout, the session expires on the server
    sh.signal(signal.SIGSTOP)
    time.sleep(10)
    sh.signal(signal.SIGCONT)
    sh.wait_text(r"Session 0x[0-9a-f]+ expired\. Opening a new session; one-shot watches "
                 r"and ephemeral nodes of the old session are gone\.", timeout=60)
    sh.wait_text(r"New session 0x[0-9a-f]+ established; 1 credential re-applied\.",
                 timeout=60)
    sh.wait_prompt(counter=3, state="CONNECTED")
    out = sh.run("get " + node)
    check(out[-1] == "x", "the credential was not re-applied: %r" % out, sh)
    out = sh.run("stat /eph%d" % os.getpid())
    check("Node does not exist" in out[-1], "the old ephemeral survived: %r" % out, sh)
    return sh


def deleteall_asks_first():
    """deleteall of more than 100 nodes asks, with the count; n keeps them,
    y deletes them; --yes and small subtrees do not ask; batch mode never does."""
    def make(root, n):
        lines = ["create %s" % root] + ["create %s/c%d" % (root, i) for i in range(n)]
        r = subprocess.run([os.environ["ZKSH"], "-server", ZK, "--pipeline", "-q"],
                           input="\n".join(lines) + "\n", capture_output=True, text=True,
                           timeout=60)
        check(r.returncode == 0, "making %s: %r" % (root, r.stderr))

    make("/t/del", 150)
    make("/t/small", 5)
    make("/t/yes", 150)
    make("/t/batch", 150)
    sh = start()
    sh.wait_prompt(counter=0)
    sh.mark()
    sh.type("deleteall /t/del\r")
    sh.wait_text(r"deleteall /t/del: delete 151 nodes\? \[y/N\] ")
    sh.type("n\r")
    sh.wait_prompt(counter=1)
    out = sh.output_since_mark()
    check(any("not confirmed, nothing deleted" in ln for ln in out), "after n: %r" % out, sh)
    check(batch("getAllChildrenNumber", "/t/del").stdout == "150\n", "n kept the nodes", sh)
    sh.type("deleteall /t/del\r")
    sh.wait_text(r"deleteall /t/del: delete 151 nodes\? \[y/N\] y?$")
    sh.type("y\r")
    sh.wait_prompt(counter=2)
    check(batch("exists", "/t/del").returncode == 1, "y deleted /t/del", sh)
    sh.mark()
    sh.run("deleteall /t/small")
    sh.run("deleteall --yes /t/yes")
    out = sh.output_since_mark()
    check(not any("[y/N]" in ln for ln in out), "asked for small or --yes: %r" % out, sh)
    check(batch("exists", "/t/small").returncode == 1, "/t/small deleted", sh)
    check(batch("exists", "/t/yes").returncode == 1, "/t/yes deleted", sh)
    r = batch("deleteall", "/t/batch")
    check(r.returncode == 0 and "[y/N]" not in r.stderr, "batch mode asked: %r" % (r,))
    check(batch("exists", "/t/batch").returncode == 1, "/t/batch deleted in batch mode")
    return sh


def deleteall_root_asks():
    """deleteall / asks whatever the count, and keeps /zookeeper as zkCli does."""
    r = batch("-c", "create /x; create /x/y")
    check(r.returncode == 0, "create: %r" % (r,))
    sh = start()
    sh.wait_prompt(counter=0)
    sh.type("deleteall /\r")
    sh.wait_text(r"deleteall /: delete 2 nodes\? \[y/N\] ")
    sh.type("y\r")
    sh.wait_prompt(counter=1)
    out = sh.run("ls /")
    check(out[-1] == "[zookeeper]", "after deleteall /: %r" % out, sh)
    return sh


SCENARIOS = {f.__name__: f for f in [
    ls_advances_counter, tab_completes_paths, tab_completes_commands_and_flags,
    watch_event_above_prompt, secrets_stay_out_of_history, history_persists_and_redo,
    history_lists_what_up_recalls, dead_stdout_stops_the_shell,
    history_file_is_bounded, ctrl_c_stops_ls_R, ctrl_c_cancels_line, ctrl_c_while_connecting,
    exit_status_of_last_command, zkshrc_and_zksh_server, colour_only_on_request,
    close_and_connect, connect_targets_from_history, vi_mode_from_editrc, window_resize,
    ctrl_z_suspends_and_fg_resumes, zsh_completion, bash_completion, server_restart,
    session_expiry, deleteall_asks_first, deleteall_root_asks,
    connecting_is_shown, refused_fails_fast, ctrl_c_stops_frozen_walk,
]}

# issue 7 item 10 (registered apart from the list, which other branches edit)
SCENARIOS["typos_and_plaintext_acls_stay_out_of_history"] = \
    typos_and_plaintext_acls_stay_out_of_history


def main():
    try:
        SCENARIOS[sys.argv[1]]()
    except Failure as e:
        print(e)
        return 1
    finally:
        for sh in SHELLS:
            sh.close()
        for so in SOCKETS:
            so.close()
        subprocess.run(["rm", "-rf", HOME])
    return 0


if __name__ == "__main__":
    sys.exit(main())
