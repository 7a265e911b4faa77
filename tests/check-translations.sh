#!/bin/bash
# check-translations.sh HUBCTL LOCALEDIR PODIR: `LANGUAGE=de hubctl --help`
# (and fr) comes out translated, from the .mo files built into LOCALEDIR, and
# every message of hubctl has its German and French translation.
set -uo pipefail
hubctl=$1 localedir=$2 podir=$3
status=0

run() # LANG ARGS...: hubctl's stdout+stderr in that language
{
	local lang=$1
	shift
	LANGUAGE=$lang LC_ALL=C.UTF-8 HUBD_LOCALEDIR=$localedir "$hubctl" "$@" 2>&1
}

expect() # LANG TEXT ARGS...
{
	local lang=$1 text=$2 out
	shift 2
	out=$(run "$lang" "$@")
	if ! grep -qF -- "$text" <<<"$out"; then
		echo "not ok: LANGUAGE=$lang hubctl $* does not say “$text”:"
		echo "$out" | head -5
		status=1
	fi
}

english=$(run en --help)
for lang in de fr; do
	[ -f "$localedir/$lang/LC_MESSAGES/hubd.mo" ] ||
		{ echo "not ok: no $localedir/$lang/LC_MESSAGES/hubd.mo"; status=1; continue; }
	[ "$(run $lang --help)" != "$english" ] ||
		{ echo "not ok: LANGUAGE=$lang hubctl --help is the English text"; status=1; }
done
expect de "Befehle:" --help
expect de "Globale Optionen (vor dem Befehl):" --help
expect de "Beim Hub anmelden und Tokens verwalten" --help
expect de "Der Befehlszeilen-Client von hubd" --help
expect de "Zwischengespeicherte Repos oder Revisionen auflisten" cache --help
expect de "„frobnicate“ ist kein hubctl-Befehl." frobnicate
expect de "Über einen Browser statt mit einem Token anmelden" auth login --help
expect fr "Commandes :" --help
expect fr "Options globales (avant la commande) :" --help
expect fr "Se connecter au Hub et gérer les jetons" --help
expect fr "Le client en ligne de commande de hubd" --help
expect fr "Lister les dépôts ou révisions en cache" cache --help
expect fr "« frobnicate » n’est pas une commande de hubctl." frobnicate
expect fr "Se connecter avec un navigateur plutôt qu’avec un jeton" auth login --help
# hubd's own messages too
hubd=$(dirname "$hubctl")/../daemon/hubd
if [ -x "$hubd" ]; then
	for pair in "de:Debug-Meldungen aller Komponenten anzeigen" \
		"fr:Afficher les messages de débogage de tous les composants"; do
		out=$(LANGUAGE=${pair%%:*} LC_ALL=C.UTF-8 HUBD_LOCALEDIR=$localedir "$hubd" --help 2>&1)
		grep -qF -- "${pair#*:}" <<<"$out" ||
			{ echo "not ok: LANGUAGE=${pair%%:*} hubd --help is not translated"; status=1; }
	done
fi
# English stays English
expect en "Commands:" --help

# every hubctl message is translated in both languages, and well formed (a
# few daemon messages whose format xgettext cannot read, G_GUINT64_FORMAT
# ones, stay English)
if command -v msgattrib >/dev/null; then
	for lang in de fr; do
		msgfmt -c -o /dev/null "$podir/$lang.po" ||
			{ echo "not ok: $lang.po does not compile"; status=1; }
		missing=$(msgattrib --untranslated --no-obsolete "$podir/$lang.po" |
			grep -c '^#: .*client/' || true)
		if [ "$missing" != 0 ]; then
			echo "not ok: $lang.po leaves $missing hubctl messages untranslated"
			msgattrib --untranslated "$podir/$lang.po" | grep -A2 '^#: .*client/' | head -20
			status=1
		fi
	done
fi
[ $status = 0 ] && echo "ok: translations"
exit $status
