# bash completion for zksh                                  -*- shell-script -*-
#
# Everything comes from zksh itself: `zksh __complete WORDS...` reads the
# grammar from `zksh help --json` (global options, commands, subcommands,
# each command's flags and their enum values, what a positional completes
# to) and lists znode paths from the server given with -server/--server on
# the line or $ZKSH_SERVER, with a short deadline so a dead server never
# blocks the shell. Nothing here parses usage text.
#
# Install: copy to /usr/share/bash-completion/completions/zksh, or source it.

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
	local zksh line cur files=0 paths=0
	if [[ -n ${COMP_LINE:-} ]]; then
		_zksh_split_line
	else
		_zksh_w=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
	fi
	cur=${_zksh_w[${#_zksh_w[@]} - 1]}
	zksh=${_zksh_w[0]}
	type -P "$zksh" >/dev/null 2>&1 || zksh=zksh
	COMPREPLY=()
	while IFS= read -r line; do
		case $line in
		'') ;;
		:file) files=1 ;;
		/*) COMPREPLY+=("$line") paths=1 ;;
		*) COMPREPLY+=("$line") ;;
		esac
	done < <(timeout 5 "$zksh" __complete -- "${_zksh_w[@]:1}" 2>/dev/null)
	if ((files)); then
		local f
		while IFS= read -r f; do COMPREPLY+=("$f"); done < <(compgen -f -- "$cur")
		compopt -o filenames 2>/dev/null
	fi
	# a znode: no blank after it, so that /app can go on as /app/; a unique one ends the word
	if ((paths && ${#COMPREPLY[@]} > 1)); then
		compopt -o nospace 2>/dev/null
	fi
	[[ -n ${COMP_LINE:-} ]] && _zksh_trim_replies "$cur"
	return 0
}

complete -F _zksh zksh
