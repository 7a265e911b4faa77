#!/bin/bash
# check-bash-completion.sh HUBCTL COMPLETION: drives the completion function
# the way bash does (COMP_WORDS / COMP_CWORD) and checks what it offers:
# every command of `hubctl --help`, every group's subcommands, flags, and repo
# ids from the shared cache.
set -uo pipefail
hubctl=$1 script=$2
status=0
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
mkdir -p "$cache/models--alice--demo/snapshots" "$cache/datasets--acme--data/snapshots" \
	"$cache/spaces--bob--app/snapshots" "$cache/.locks"

# complete LINE: what the completion offers for LINE (a trailing space = a new word)
complete_line()
{
	HF_HUB_CACHE=$cache bash -c '
		source "$1"
		line=$2
		read -ra COMP_WORDS <<<"$line"
		COMP_WORDS[0]=$3
		[[ $line == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_hubctl
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$script" "$1" "$hubctl"
}

# expect LINE WORD...: each WORD is offered
expect()
{
	local line=$1 got
	shift
	got=$(complete_line "$line")
	for word in "$@"; do
		if ! grep -qxF -- "$word" <<<"$got"; then
			echo "not ok: '$line<TAB>' does not offer '$word' (offers: $(echo $got))"
			status=1
		fi
	done
}

# refuse LINE WORD...: none of them is offered
refuse()
{
	local line=$1 got
	shift
	got=$(complete_line "$line")
	for word in "$@"; do
		if grep -qxF -- "$word" <<<"$got"; then
			echo "not ok: '$line<TAB>' offers '$word'"
			status=1
		fi
	done
}

# every command in the help, and every subcommand of every group, completes
commands=$(LANGUAGE= LC_ALL=C.UTF-8 "$hubctl" --help |
	awk '/^Commands:/ {on = 1; next} on && /^$/ {exit} on {print $1}')
[ -n "$commands" ] || { echo "not ok: no commands in hubctl --help"; exit 1; }
expect "hubctl " $commands
for cmd in $commands; do
	[ "$cmd" = help ] && continue
	expect "hubctl ${cmd:0:3}" "$cmd"
	expect "hubctl $cmd --" --help
	subs=$(complete_line "hubctl $cmd ")
	if LANGUAGE= LC_ALL=C.UTF-8 "$hubctl" "$cmd" --help 2>/dev/null | head -1 |
		grep -q "COMMAND"; then
		[ -n "$subs" ] || { echo "not ok: no subcommands for $cmd"; status=1; }
		for sub in $subs; do
			expect "hubctl $cmd $sub --" --help
		done
	fi
done

expect "hubctl cache " ls rm prune verify scan delete
expect "hubctl cache ls --" --filter --sort --limit --revisions --format --json
expect "hubctl cache ls -" -f
expect "hubctl auth " login logout whoami list switch import
expect "hubctl auth login --" --web --no-browser --token-stdin --name
expect "hubctl repo " create delete info list files branch tag commits
expect "hubctl repo branch " create delete list
expect "hubctl repo branch create --" --revision
expect "hubctl download --" --include --exclude --local-dir --cache-dir --dry-run --revision
expect "hubctl --" --socket --token-name --help --version
expect "hubctl --socket /tmp/x " cache auth
expect "hubctl help " cache download
# repo ids from the cache, where a REPO_ID goes
expect "hubctl download " alice/demo acme/data bob/app
expect "hubctl download al" alice/demo
refuse "hubctl download al" acme/data
expect "hubctl repo info " alice/demo
expect "hubctl cache verify " alice/demo
expect "hubctl upload --type dataset " acme/data
refuse "hubctl download alice/demo " alice/demo
refuse "hubctl status " alice/demo

[ $status = 0 ] && echo "ok: bash completion"
exit $status
