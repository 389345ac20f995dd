# bash completion for zksh                                  -*- shell-script -*-
#
# Global options, command names and each command's flags come from zksh
# itself (`zksh help --json`), so they never go stale; a path argument
# (a word starting with /) completes from the server given with -server or
# $ZKSH_SERVER, with a short timeout so a dead server never blocks the shell.
#
# Install: copy to /usr/share/bash-completion/completions/zksh, or source it.

_zksh_global_opts="-server -timeout -r -waitforconnection --json --keep-going
--pipeline --quiet --no-color --max-data --window --auth-file -tls --sasl-mech
--sasl-user --sasl-password-file --sasl-realm --sasl-service --sasl-host -c -f
--help --version"

# Options followed by a value (both -x and --x spellings are accepted).
_zksh_takes_value() {
	case ${1#-} in
	server | -server | timeout | -timeout | c | f | -max-data | -window | -auth-file | \
		tls | -tls | -sasl-*) return 0 ;;
	esac
	return 1
}

# Command names, cached for the shell session.
_zksh_commands() {
	if [[ -z ${_zksh_cmd_cache:-} ]]; then
		_zksh_cmd_cache=$("${1:-zksh}" help --json 2>/dev/null |
			grep -o '"command":"[^"]*"' | sed 's/^"command":"//; s/"$//')
	fi
	printf '%s\n' "$_zksh_cmd_cache"
}

# Flags of one command, read from its usage line.
_zksh_command_flags() {
	"$1" help "$2" --json 2>/dev/null | grep -o '"usage":"[^"]*"' |
		grep -oE '(^|[[ |"])-[A-Za-z][A-Za-z-]*' | grep -oE -- '-[A-Za-z][A-Za-z-]*' | sort -u
}

# Children of the znode that cur is in, as full paths.
_zksh_znodes() {
	local zksh=$1 server=$2 cur=$3 parent out
	parent=${cur%/*}
	[[ -n $parent ]] || parent=/
	out=$(timeout 2 "$zksh" ${server:+-server "$server"} -timeout 1500 ls --json "$parent" \
		2>/dev/null) || return 0
	out=${out#*\"children\":[}
	out=${out%%]*}
	local IFS=,
	local names=($out) n
	for n in "${names[@]}"; do
		n=${n#\"}
		n=${n%\"}
		[[ -n $n ]] || continue
		if [[ $parent == / ]]; then
			printf '/%s\n' "$n"
		else
			printf '%s/%s\n' "$parent" "$n"
		fi
	done
}

_zksh() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local zksh=${COMP_WORDS[0]} server=${ZKSH_SERVER:-} i cmd_at=0 w

	# where the command starts, and which server the line names
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ $w == -server || $w == --server ]]; then
			server=${COMP_WORDS[i + 1]}
		fi
		if [[ $w == -* ]]; then
			_zksh_takes_value "$w" && ((i++))
			continue
		fi
		cmd_at=$i
		break
	done

	if ((cmd_at == 0)); then
		case $prev in
		-f | --f | --auth-file | --sasl-password-file)
			COMPREPLY=($(compgen -f -- "$cur"))
			return
			;;
		-server | --server | -timeout | --timeout | -c | --max-data | --window | -tls | --sasl-*)
			return
			;;
		esac
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_zksh_global_opts" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_zksh_commands "$zksh")" -- "$cur"))
		fi
		return
	fi

	local cmd=${COMP_WORDS[cmd_at]}
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_zksh_command_flags "$zksh" "$cmd")" -- "$cur"))
	elif [[ $cmd == help ]]; then
		COMPREPLY=($(compgen -W "$(_zksh_commands "$zksh")" -- "$cur"))
	elif [[ $cur == /* ]]; then
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -W "$(_zksh_znodes "$zksh" "$server" "$cur")" -- "$cur"))
		# a unique node: finish the word unless more can follow
		if ((${#COMPREPLY[@]} == 1)); then
			compopt +o nospace 2>/dev/null
		fi
	fi
}

complete -F _zksh zksh
