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
			grep -o '"command":"[^"]*"' | sed 's/^"command":"//; s/"$//' | sort -u)
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

# The words of the line up to the cursor, split at blanks only, into the
# array _zksh_w. bash splits COMP_WORDS at every character of COMP_WORDBREAKS,
# ':' and '=' among them, so `-server 127.0.0.1:2181` would reach _zksh as
# four words and the server would be lost. Quotes are not interpreted.
_zksh_split_line() {
	local line=${COMP_LINE:0:COMP_POINT}
	read -ra _zksh_w <<<"$line"
	[[ -z $line || $line == *[[:blank:]] ]] && _zksh_w+=("")
}

# Replies are for the whole blank-separated word, but bash replaces only its
# last COMP_WORDBREAKS piece: drop what comes before that piece.
_zksh_trim_replies() {
	local word=$1 piece=${COMP_WORDS[COMP_CWORD]} pre i
	[[ $word == "$piece" || $word != *"$piece" ]] && return
	pre=${word%"$piece"}
	for i in "${!COMPREPLY[@]}"; do
		COMPREPLY[i]=${COMPREPLY[i]#"$pre"}
	done
}

_zksh() {
	local -a _zksh_w
	if [[ -n ${COMP_LINE:-} ]]; then
		_zksh_split_line
	else
		_zksh_w=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
	fi
	local cword=$((${#_zksh_w[@]} - 1))
	_zksh_complete_words "$cword" "${_zksh_w[@]}"
	[[ -n ${COMP_LINE:-} ]] && _zksh_trim_replies "${_zksh_w[cword]}"
	return 0
}

# Completes word number $1 of the words that follow it.
_zksh_complete_words() {
	local cword=$1
	shift
	local -a words=("$@")
	local cur=${words[cword]} prev=${words[cword - 1]}
	local zksh=${words[0]} server=${ZKSH_SERVER:-} i cmd_at=0 w

	# where the command starts, and which server the line names
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		case $w in
		-server | --server) server=${words[i + 1]} ;;
		-server=* | --server=*)
			server=${w#*=}
			continue
			;;
		esac
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
		if [[ $cur == --*=* ]]; then
			return
		fi
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_zksh_global_opts" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_zksh_commands "$zksh")" -- "$cur"))
		fi
		return
	fi

	local cmd=${words[cmd_at]}
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
