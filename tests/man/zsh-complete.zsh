#!/usr/bin/env zsh -f
# Drive zsh's own completion system (compinit, completions/_zksh) under
# zpty: for each case of CASES (tests/man/walk.py cases), type the words and
# Tab twice, and check that every expected word is offered (in the listing
# or inserted on the line). Prints "missing ..." lines; exit 1 when any.
#
#   zsh-complete.zsh COMPLETIONS_DIR ZKSH_DIR CASES
setopt extendedglob
zmodload zsh/zpty || exit 2
local dir=$1 bindir=$2 cases=$3 out line n=0 bad=0 words want w
local -a lines typed expect toks
zpty -b z "zsh -f -i" || exit 2
zpty -w z "stty rows 10000 columns 120; PS1='%% '; RPROMPT=''; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D; LISTMAX=100000; zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' menu no; setopt nolistbeep; PATH=${(q)bindir}:\$PATH; echo SYNC''0"
# Read into out until it holds $1 (no pattern read: that rescans the whole
# output for every byte); 20 s at most.
sync_read() {
	local chunk deadline=$((SECONDS + 20))
	while [[ $out != *$1* ]]; do
		((SECONDS < deadline)) || return 1
		if zpty -r -t z chunk; then
			out+=$chunk
		else
			sleep 0.05
		fi
	done
}
out=""
sync_read SYNC0 || exit 2
lines=("${(@f)$(<$cases)}")
for ((i = 1; i < $#lines; i += 2)); do
	typed=("${(@ps:\t:)lines[i]}")
	want=${lines[i+1]#= }
	expect=(${=want})
	((n++))
	zpty -w -n z "zksh ${(j: :)typed}"$'\t\t'
	sleep 0.3
	zpty -w -n z $'\x15'
	zpty -w z "echo SYNC''$n"
	out=""
	sync_read "SYNC$n" || { print -r -- "no answer to: zksh ${typed[*]}"; print -r -- "${(q)out}" | tail -c 1500; exit 2 }
	out=${out//$'\e'\[[0-9;?]#[a-zA-Z]/ }
	out=${out//[$'\r\b']/ }
	toks=(${=out})
	for w in $expect; do
		if ((! ${toks[(Ie)$w]})); then
			print -r -- "missing: zksh ${typed[*]}<Tab>: $w"
			bad=1
		fi
	done
done
zpty -d z
exit $bad
