# Bash completion for ksail-benchstat: option names come from the program's own --help, so they are
# never out of date; the options that take one of a few words complete those words.
_ksail_benchstat() {
    local cur prev opts
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    # "--format=ht": bash splits at '=', so the option is two words back.
    if [[ $cur == "=" ]]; then
        cur=""
    elif [[ $prev == "=" && $COMP_CWORD -ge 2 ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi
    case $prev in
        --format) COMPREPLY=($(compgen -W 'text markdown csv json html' -- "$cur")); return ;;
        --color) COMPREPLY=($(compgen -W 'auto always never' -- "$cur")); return ;;
        --gate-rule) COMPREPLY=($(compgen -W 'interval point' -- "$cur")); return ;;
        --correction) COMPREPLY=($(compgen -W 'none holm bh' -- "$cur")); return ;;
        --center) COMPREPLY=($(compgen -W 'median mean min' -- "$cur")); return ;;
        --sort) COMPREPLY=($(compgen -W 'none name delta -delta' -- "$cur")); return ;;
        -o | --output | --summary | --gate-config) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        opts=$("${COMP_WORDS[0]}" --help 2>/dev/null | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -o bashdefault -F _ksail_benchstat ksail-benchstat
