#!/usr/bin/env bats
# The table walk (issue 8, item 5) and the completion scripts (issue 13):
# every command, subcommand and flag of `zksh help --json` has a help line,
# is in doc/zksh.1, and is offered by completions/zksh.bash (driven through
# COMP_WORDS/COMP_CWORD or COMP_LINE/COMP_POINT) and by completions/_zksh
# (zsh's own completion system, compinit, under zpty). Znode paths complete
# from a real server named on the line.

load helpers

setup_file() {
	: "${ZKSH_SRCDIR:=$BATS_TEST_DIRNAME/../..}"
	export ZKSH_SRCDIR
	local json=$BATS_FILE_TMPDIR/help.json
	"$ZKSH" help --json >"$json"
	export GRAMMAR=$json
	unset ZKSH_HELP_JSON
	# the scripts run the zksh the line names: this build
	mkdir -p "$BATS_FILE_TMPDIR/bin"
	ln -sf "$ZKSH" "$BATS_FILE_TMPDIR/bin/zksh"
	export PATH=$BATS_FILE_TMPDIR/bin:$PATH
	python3 "$ZKSH_SRCDIR/tests/man/walk.py" cases "$GRAMMAR" >"$BATS_FILE_TMPDIR/cases"
	zk_start 1
	zk -c "create /app; create /app/conf x; create /apple; create /other" >/dev/null
}

teardown_file() {
	zk_stop_all
}

# Each case of CASES (walk.py's format) through bash's _zksh; prints what is missing.
bash_walk() {
	bash -c '
		source "$1"
		bad=0
		while IFS= read -r typed && IFS= read -r want; do
			w=()
			[[ -n $typed ]] && IFS=$'"'"'\t'"'"' read -r -a w <<<"$typed"
			[[ -z $typed || $typed == *$'"'"'\t'"'"' ]] && w+=("")
			COMP_WORDS=(zksh "${w[@]}")
			COMP_CWORD=${#w[@]}
			COMPREPLY=()
			_zksh
			for x in ${want#= }; do
				found=0
				for r in "${COMPREPLY[@]}"; do [[ $r == "$x" ]] && found=1 && break; done
				((found)) || { echo "missing: zksh ${w[*]}<Tab>: $x"; bad=1; }
			done
		done <"$2"
		exit $bad
	' _ "$ZKSH_SRCDIR/completions/zksh.bash" "$1"
}

# COMPREPLY, one a line, for the line LINE (cursor at its end) as bash splits it.
bash_line() {
	bash -c '
		source "$1"
		COMP_LINE=$2
		COMP_POINT=${#COMP_LINE}
		# COMP_WORDS as bash makes them: split at blanks and at COMP_WORDBREAKS
		COMP_WORDS=()
		w=""
		for ((i = 0; i < ${#COMP_LINE}; i++)); do
			c=${COMP_LINE:i:1}
			if [[ $c == " " ]]; then
				[[ -n $w ]] && COMP_WORDS+=("$w")
				w=""
			elif [[ $c == [:=] ]]; then
				[[ -n $w ]] && COMP_WORDS+=("$w")
				COMP_WORDS+=("$c")
				w=""
			else
				w+=$c
			fi
		done
		COMP_WORDS+=("$w")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_zksh
		printf "%s\n" "${COMPREPLY[@]}"
	' _ "$ZKSH_SRCDIR/completions/zksh.bash" "$1"
}

zsh_ok() {
	command -v zsh >/dev/null || return 1
	zsh -fc 'zmodload zsh/zpty' 2>/dev/null
}

@test "every command, subcommand and flag in help --json has a help line" {
	run python3 "$ZKSH_SRCDIR/tests/man/walk.py" help "$GRAMMAR"
	assert_success
	assert_output ""
}

@test "the table walk fails, naming it, when a flag has no help line" {
	jq '(.commands[] | select(.command == "deleteall") | .options[0].help) = ""' \
		"$GRAMMAR" >"$BATS_TEST_TMPDIR/nohelp.json"
	run python3 "$ZKSH_SRCDIR/tests/man/walk.py" help "$BATS_TEST_TMPDIR/nohelp.json"
	assert_failure
	assert_output --regexp '^deleteall: flag -[a-z-]+ has no help line$'
	run python3 "$ZKSH_SRCDIR/scripts/gen-man.py" --json "$BATS_TEST_TMPDIR/nohelp.json" \
		--notes "$ZKSH_SRCDIR/doc/man-notes.roff" --check "$ZKSH_SRCDIR/doc/zksh.1"
	assert_failure 2
	assert_output --partial "deleteall: -b has no help line"
}

@test "every command, subcommand and flag in help --json is in its man page entry" {
	run python3 "$ZKSH_SRCDIR/tests/man/walk.py" man "$GRAMMAR" "$ZKSH_SRCDIR/doc/zksh.1"
	assert_success
	assert_output ""
}

@test "bash completion offers every global option, command, subcommand, flag and enum value" {
	run bash_walk "$BATS_FILE_TMPDIR/cases"
	assert_success
	assert_output ""
}

@test "zsh completion (compinit under zpty) offers every global option, command, subcommand, flag and enum value" {
	zsh_ok || skip "no zsh with zsh/zpty"
	run timeout 240 zsh -f "$ZKSH_SRCDIR/tests/man/zsh-complete.zsh" "$ZKSH_SRCDIR/completions" \
		"$BATS_FILE_TMPDIR/bin" "$BATS_FILE_TMPDIR/cases"
	assert_success
	assert_output ""
}

@test "bash: 'zksh -server HOST:PORT dele' offers deleteall although bash splits at the colon" {
	run bash_line "zksh -server $ZK_CONNECT dele"
	assert_success
	assert_line deleteall
	assert_line delete
	refute_line --partial "127.0.0.1"
}

@test "bash: a znode path completes from the server of -server or --server= on the line" {
	run bash_line "zksh -server $ZK_CONNECT get /ap"
	assert_success
	assert_output "$(printf '/app\n/apple')"
	run bash_line "zksh --server=$ZK_CONNECT ls /app/"
	assert_success
	assert_output "/app/conf"
	ZKSH_SERVER=$ZK_CONNECT run bash_line "zksh stat /oth"
	assert_success
	assert_output "/other"
}

@test "zsh: a znode path completes from the server named on the line" {
	zsh_ok || skip "no zsh with zsh/zpty"
	printf '%s\t%s\t%s\t%s\n= /app /apple\n' -server "$ZK_CONNECT" get /ap >"$BATS_TEST_TMPDIR/c"
	printf '%s\t%s\t%s\n= /app/conf\n' "--server=$ZK_CONNECT" ls /app/ >>"$BATS_TEST_TMPDIR/c"
	run timeout 120 zsh -f "$ZKSH_SRCDIR/tests/man/zsh-complete.zsh" "$ZKSH_SRCDIR/completions" \
		"$BATS_FILE_TMPDIR/bin" "$BATS_TEST_TMPDIR/c"
	assert_success
	assert_output ""
}

@test "__complete: enum values after a flag and in --flag=value form, files for a file argument" {
	run "$ZKSH" __complete ensemble plan --strategy ''
	assert_success
	assert_output "$(printf 'sequential\nsplit')"
	run "$ZKSH" __complete ensemble add --strategy=s
	assert_success
	assert_output "$(printf -- '--strategy=sequential\n--strategy=split')"
	run "$ZKSH" __complete import ''
	assert_success
	assert_output ":file"
}

@test "__complete: a server that does not answer gives no paths, exit 0, within its deadline" {
	local start=$SECONDS
	ZKSH_COMPLETE_TIMEOUT=500 run timeout 10 "$ZKSH" __complete -server 127.0.0.1:1 get /a
	assert_success
	assert_output ""
	((SECONDS - start < 5))
}
