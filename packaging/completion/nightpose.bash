# bash completion for nightpose(1): commands, options, files by extension,
# position lists for --avoid, serial ports (and auto) for --port.
# Installed as share/bash-completion/completions/nightpose.

# Options of each command, as its --help lists them (tests/install/test_completion.sh checks).
_nightpose_options()
{
	case $1 in
	devices) echo "--format --probe --help" ;;
	record) echo "--port -o --output --force --duration --rate --live --avoid --alert --alert-after --alert-when" \
		"--alert-delay --calibration --help" ;;
	replay) echo "--speed --live --avoid --alert-after --alert-when --alert-delay --calibration --help" ;;
	info) echo "--format --help" ;;
	import) echo "-o --output --rate --labels --experiment --scale --lsb-per-g --start --help" ;;
	simulate) echo "-o --output --hours --rate --seed --ankle --sleep --nights --nonwear --help" ;;
	calibrate) echo "-o --output --port --timeout --supine --left --help" ;;
	epochs) echo "--calibration --epoch -o --output --sleep-window --help" ;;
	report) echo "--calibration --avoid --epoch --format --plot --sleep-window --help" ;;
	export) echo "--edf --csv --calibration --help" ;;
	trend) echo "--avoid --calibration --format --plot --sleep-window --help" ;;
	config) echo "--port --avoid --alert --alert-after --alert-delay --calibration -o --output" \
		"--help" ;;
	esac
}

# Serial ports that exist now, and auto.
_nightpose_ports()
{
	local p
	for p in /dev/ttyACM* /dev/ttyUSB* /dev/serial/by-id/* /dev/nightpose-*; do
		[[ -e $p ]] && printf '%s\n' "$p"
	done
	printf 'auto\n'
}

# Files ending in one of the extensions given (png svg pdf), and directories.
_nightpose_files()
{
	local IFS=$'\n' ext
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -d -- "$cur"))
	for ext; do
		COMPREPLY+=($(compgen -f -X "!*.$ext" -- "$cur"))
	done
}

_nightpose()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local commands="devices record replay info import simulate calibrate epochs report export trend config"
	local IFS=$' \t\n'
	COMPREPLY=()
	if ((COMP_CWORD == 1)); then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return 0
	fi
	local cmd=${COMP_WORDS[1]}
	case $prev in
	--port)
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "$(_nightpose_ports)" -- "$cur"))
		return 0 ;;
	--avoid)
		# A comma list: complete the last name, keep what is before it.
		local last=${cur##*,}
		COMPREPLY=($(compgen -P "${cur%"$last"}" -W "supine prone left right upright" -- "$last"))
		compopt -o nospace 2>/dev/null
		return 0 ;;
	--alert) COMPREPLY=($(compgen -W "vibrate bell none" -- "$cur")); return 0 ;;
	--format) COMPREPLY=($(compgen -W "text json" -- "$cur")); return 0 ;;
	--alert-when) COMPREPLY=($(compgen -W "asleep lying" -- "$cur")); return 0 ;;
	--sleep-window) COMPREPLY=($(compgen -W "hdcza lying" -- "$cur")); return 0 ;;
	--scale) COMPREPLY=($(compgen -W "g mg counts" -- "$cur")); return 0 ;;
	--speed) COMPREPLY=($(compgen -W "max 1 10 60" -- "$cur")); return 0 ;;
	--calibration) _nightpose_files json; return 0 ;;
	--plot) _nightpose_files png svg pdf; return 0 ;;
	--edf) _nightpose_files edf; return 0 ;;
	--csv) _nightpose_files csv; return 0 ;;
	--labels) _nightpose_files txt; return 0 ;;
	-o | --output)
		case $cmd in
		calibrate) _nightpose_files json ;;
		epochs) _nightpose_files csv ;;
		*) _nightpose_files npr ;;
		esac
		return 0 ;;
	--duration | --nights | --rate | --alert-after | --alert-delay | --epoch | --hours | --seed | --supine | --timeout | \
		--left | --experiment | --lsb-per-g | --start)
		return 0 ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_nightpose_options "$cmd")" -- "$cur"))
	elif [[ $cmd == import && $COMP_CWORD -eq 2 ]]; then
		COMPREPLY=($(compgen -W "spc uci-ar hapt csv" -- "$cur"))
	elif [[ $cmd == import ]]; then
		_nightpose_files csv txt
	elif [[ $cmd != devices && $cmd != simulate && $cmd != config ]]; then
		_nightpose_files npr
	fi
	return 0
}

complete -F _nightpose nightpose
