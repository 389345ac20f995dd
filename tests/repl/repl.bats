#!/usr/bin/env bats
# The interactive shell on a pseudo-terminal, against real ZooKeeper servers:
# line editing, completion, history, live events, Ctrl-C, reconnects.
# Each test runs one scenario of scenarios.py (python3-pexpect); what it
# prints on failure is the screen the user would have seen.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load '../lib/zk'

: "${ZKSH:=$BATS_TEST_DIRNAME/../../zksh}"
: "${ZKSH_SRCDIR:=$BATS_TEST_DIRNAME/../..}"
export ZKSH ZKSH_SRCDIR

# Debian's python3 has python3-pexpect; a pyenv or venv python may not.
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

setup_file() {
	"$PY" -c 'import pexpect' || {
		echo "tests/repl needs python3-pexpect (apt-get install python3-pexpect)" >&2
		return 1
	}
	zk_start 1
	# /app with two leaves, /t for the tests' own nodes, and 50,000 nodes
	# under /big (100 parents of 500) for Ctrl-C during ls -R
	local f="$BATS_FILE_TMPDIR/big"
	{
		echo "create /app; create /app/config v0; create /app/cool; create /t"
		echo "create /big"
		for ((p = 0; p < 100; p++)); do
			echo "create /big/p$p"
			printf "create /big/p$p/n%d\n" $(seq 0 499)
		done
	} >"$f"
	timeout 300 "$ZKSH" -server "$ZK_CONNECT" --pipeline=1000 -q -f "$f"
}

teardown_file() {
	zk_stop_all
}

# Run scenario NAME; its "# " lines become TAP comments.
scenario() {
	run timeout 300 "$PY" "$BATS_TEST_DIRNAME/scenarios.py" "$1"
	grep '^# ' <<<"$output" >&3 || true
	assert_success
}

# A second, private server for the tests that kill it or expire sessions.
with_own_server() {
	local saved_base=$ZK_BASE saved_connect=$ZK_CONNECT rc=0
	unset ZK_BASE
	zk_start 1
	scenario "$1" || rc=$?
	zk_stop_all
	export ZK_BASE=$saved_base ZK_CONNECT=$saved_connect
	return "$rc"
}

@test "ls / at the prompt prints the children and the prompt counter advances" {
	scenario ls_advances_counter
}

@test "Tab completes /ap to /app, relative paths after cd /app, and lists choices" {
	scenario tab_completes_paths
}

@test "Tab completes command names and a command's flags, and not data arguments" {
	scenario tab_completes_commands_and_flags
}

@test "a watch event prints above the prompt and the half-typed 'get /co' stays intact" {
	scenario watch_event_above_prompt
}

@test "after addauth digest u:secret the history file has no secret and mode 0600" {
	scenario secrets_stay_out_of_history
}

@test "a misspelled addauth and a plaintext digest ACL never reach the history file" {
	scenario typos_and_plaintext_acls_stay_out_of_history
}

@test "history persists across runs for the arrow keys; history and redo N work like zkCli's" {
	scenario history_persists_and_redo
}

@test "history lists exactly what Up recalls: earlier runs as -N, repeats, redone lines" {
	scenario history_lists_what_up_recalls
}

@test "a REPL whose stdout is /dev/full says write error and exits 5; a closed pipe stops it quietly" {
	scenario dead_stdout_stops_the_shell
}

@test "the history file is bounded by ZKSH_HISTSIZE and is ~/.zksh_history without XDG_STATE_HOME" {
	scenario history_file_is_bounded
}

@test "Ctrl-C during ls -R over 50,000 nodes returns to the prompt, still connected" {
	scenario ctrl_c_stops_ls_R
}

@test "Ctrl-C at the prompt cancels the half-typed line" {
	scenario ctrl_c_cancels_line
}

@test "Ctrl-C ends the wait for a server that does not answer" {
	scenario ctrl_c_while_connecting
}

@test "Ctrl-D and quit exit with the last command's status" {
	scenario exit_status_of_last_command
}

@test "~/.zkshrc (or \$XDG_CONFIG_HOME/zksh/zkshrc) runs at start-up; ZKSH_SERVER is the default server" {
	scenario zkshrc_and_zksh_server
}

@test "the prompt state is coloured on a terminal, and not with NO_COLOR or --no-color" {
	scenario colour_only_on_request
}

@test "close shows CLOSED and connect host:port opens a new session" {
	scenario close_and_connect
}

@test "connect targets complete from the history" {
	scenario connect_targets_from_history
}

@test "~/.editrc with bind -v gives vi editing, and Tab still completes" {
	scenario vi_mode_from_editrc
}

@test "after a window resize a multi-row line is redrawn at the new width" {
	scenario window_resize
}

@test "Ctrl-Z stops zksh like any job and fg brings back the prompt and the half-typed line" {
	scenario ctrl_z_suspends_and_fg_resumes
}

# COMPREPLY of completions/zksh.bash for the words given, space-separated.
bash_complete() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_zksh
	echo "${COMPREPLY[*]}"
}

@test "bash completion of the zksh command line: options, commands, flags and znode paths" {
	source "$ZKSH_SRCDIR/completions/zksh.bash"
	run bash_complete "$ZKSH" --no
	assert_output "--no-color --no-progress --no-batch"
	run bash_complete "$ZKSH" -server "$ZK_CONNECT" pw
	assert_output "pwd"
	run bash_complete "$ZKSH" -server "$ZK_CONNECT" stat -
	assert_output "-w"
	run bash_complete "$ZKSH" -server "$ZK_CONNECT" get /ap
	assert_output "/app"
	run bash_complete "$ZKSH" -server "$ZK_CONNECT" get /app/
	assert_output "/app/config /app/cool"
	run bash_complete "$ZKSH" -f "$ZKSH_SRCDIR/completions/zksh.b"
	assert_output "$ZKSH_SRCDIR/completions/zksh.bash"
	# a dead server offers nothing, quickly
	run bash_complete "$ZKSH" -server 127.0.0.1:1 get /a
	assert_output ""
}

# COMPREPLY for LINE (the cursor at its end) with COMP_WORDS split the way
# bash splits them: at blanks, and around runs of COMP_WORDBREAKS characters.
bash_line_complete() {
	local line=$1 word="" c i breaks=${COMP_WORDBREAKS//[[:blank:]\"\']/}
	local -a words=()
	for ((i = 0; i < ${#line}; i++)); do
		c=${line:i:1}
		if [[ $c == [[:blank:]] ]]; then
			[[ -n $word ]] && words+=("$word")
			word=""
		elif [[ $breaks == *"$c"* ]]; then
			[[ -n $word && $breaks != *"${word: -1}"* ]] && words+=("$word") && word=""
			word+=$c
		else
			[[ -n $word && $breaks == *"${word: -1}"* ]] && words+=("$word") && word=""
			word+=$c
		fi
	done
	words+=("$word")
	COMP_LINE=$line COMP_POINT=${#line}
	COMP_WORDS=("${words[@]}")
	COMP_CWORD=$((${#words[@]} - 1))
	COMPREPLY=()
	_zksh
	echo "${COMPREPLY[*]}"
}

@test "bash completion works with host:port on the line, where bash splits words at ':'" {
	source "$ZKSH_SRCDIR/completions/zksh.bash"
	run bash_line_complete "$ZKSH -server $ZK_CONNECT dele"
	assert_output --partial "deleteall"
	run bash_line_complete "$ZKSH -server $ZK_CONNECT get /ap"
	assert_output "/app"
	run bash_line_complete "$ZKSH --server=$ZK_CONNECT get /app/c"
	assert_output "/app/config /app/cool"
	# the host:port word itself: bash replaces only what follows the ':'
	run bash_line_complete "$ZKSH -server 127.0.0.1:2181 --no-c"
	assert_output "--no-color"
}

@test "bash completion in a real interactive bash, -server host:port on the line" {
	scenario bash_completion
}

@test "zsh completion of the zksh command line (completions/_zksh)" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	scenario zsh_completion
}

@test "deleteall of over 100 nodes asks with the count: n keeps them, y deletes; --yes and batch mode do not ask" {
	scenario deleteall_asks_first
}

@test "deleteall / asks even for a few nodes, and keeps /zookeeper" {
	with_own_server deleteall_root_asks
}

@test "killing the server and starting it again: the prompt shows the state and the next command works" {
	with_own_server server_restart
}

@test "an expired session is replaced at once, with addauth's credentials re-applied" {
	with_own_server session_expiry
}

@test "with the server silent, a command says it is connecting after a second" {
	scenario connecting_is_shown
}

@test "with every address refusing, a command fails at once instead of waiting the timeout" {
	scenario refused_fails_fast
}

@test "Ctrl-C during ls -R against a frozen server returns to the prompt" {
	with_own_server ctrl_c_stops_frozen_walk
}
