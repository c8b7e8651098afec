# bash completion for credtool, generated from its command specs.
# Source this file, or install it as share/bash-completion/completions/credtool.

# Adds the words among the arguments that start with the current word ($cur) to COMPREPLY.
_credtool_add() {
    local word
    for word in "$@"; do
        [[ $word == "$cur"* ]] && COMPREPLY+=("$word")
    done
    return 0
}

_credtool() {
    local cur=${COMP_WORDS[COMP_CWORD]} path=credtool word long pending=
    local -i i ended=0 npos=0
    local -a globals=() lines=()
    COMPREPLY=()
    # Walk the words before the cursor: subcommands, options and their values, arguments.
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        if [[ -n $pending ]]; then
            # bash splits --config=DIR into --config, = and DIR.
            [[ $word == = ]] && continue
            case $pending in --config|--authfile) globals+=("$pending" "${word/#\~\//$HOME/}") ;; esac
            pending=
        elif ((!ended)) && [[ $word == -?* ]]; then
            if [[ $word == -- ]]; then
                ended=1
                continue
            fi
            case "$path:${word%%=*}" in
            'credtool:--config'|'credtool list:--config'|'credtool get:--config'|'credtool login:--config'|'credtool logout:--config'|'credtool merge:--config'|'credtool migrate:--config'|'credtool doctor:--config'|'credtool export-secret:--config'|'credtool import-secret:--config'|'credtool kubelet-provider:--config') long=--config ;;
            'credtool:--authfile'|'credtool list:--authfile'|'credtool get:--authfile'|'credtool login:--authfile'|'credtool logout:--authfile'|'credtool merge:--authfile'|'credtool migrate:--authfile'|'credtool doctor:--authfile'|'credtool export-secret:--authfile'|'credtool import-secret:--authfile'|'credtool kubelet-provider:--authfile') long=--authfile ;;
            'credtool login:--username'|'credtool login:-u') long=--username ;;
            'credtool login:--password'|'credtool login:-p') long=--password ;;
            'credtool login:--ca-file') long=--ca-file ;;
            'credtool merge:--output'|'credtool merge:-o'|'credtool export-secret:--output') long=--output ;;
            'credtool migrate:--store') long=--store ;;
            'credtool export-secret:--name') long=--name ;;
            'credtool export-secret:--namespace') long=--namespace ;;
            'credtool export-secret:--registry') long=--registry ;;
            'credtool export-secret:--service-account') long=--service-account ;;
            'credtool export-secret:--output-file') long=--output-file ;;
            'credtool kubelet-provider:--cache-duration') long=--cache-duration ;;
            *) long= ;;
            esac
            if [[ $word == --*=* ]]; then
                word=${word#*=}
                case $long in --config|--authfile) globals+=("$long" "${word/#\~\//$HOME/}") ;; esac
            else
                pending=$long
            fi
        else
            if ((!ended && npos == 0)); then
                case "$path:$word" in
                'credtool:list'|'credtool:get'|'credtool:login'|'credtool:logout'|'credtool:merge'|'credtool:migrate'|'credtool:doctor'|'credtool:export-secret'|'credtool:import-secret'|'credtool:kubelet-provider')
                    path+=" $word"
                    continue
                    ;;
                esac
            fi
            npos+=1
        fi
    done

    if [[ -n $pending ]]; then
        [[ $cur == = ]] && cur=
        case "$path:$pending" in
        'credtool:--config'|'credtool list:--config'|'credtool get:--config'|'credtool login:--config'|'credtool logout:--config'|'credtool merge:--config'|'credtool migrate:--config'|'credtool doctor:--config'|'credtool export-secret:--config'|'credtool import-secret:--config'|'credtool kubelet-provider:--config')
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
            ;;
        'credtool:--authfile'|'credtool list:--authfile'|'credtool get:--authfile'|'credtool login:--ca-file'|'credtool login:--authfile'|'credtool logout:--authfile'|'credtool merge:--output'|'credtool merge:--authfile'|'credtool migrate:--authfile'|'credtool doctor:--authfile'|'credtool export-secret:--output-file'|'credtool export-secret:--authfile'|'credtool import-secret:--authfile'|'credtool kubelet-provider:--authfile')
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            ;;
        'credtool migrate:--store')
            _credtool_add swift
            ;;
        'credtool export-secret:--registry')
            mapfile -t lines < <(credtool __complete registries 2>/dev/null "${globals[@]}" 2>/dev/null)
            _credtool_add "${lines[@]}"
            ;;
        'credtool export-secret:--output')
            _credtool_add yaml json
            ;;
        esac
        return 0
    fi
    if ((!ended)) && [[ $cur == -* ]]; then
        case $path in
        'credtool') _credtool_add --config --authfile --version --help -h ;;
        'credtool list') _credtool_add --json --config --authfile --help -h ;;
        'credtool get') _credtool_add --config --authfile --help -h ;;
        'credtool login') _credtool_add --username -u --password -p --password-stdin --insecure --ca-file --plaintext --config --authfile --help -h ;;
        'credtool logout') _credtool_add --config --authfile --help -h ;;
        'credtool merge') _credtool_add --output -o --config --authfile --help -h ;;
        'credtool migrate') _credtool_add --store --dry-run --no-backup --config --authfile --help -h ;;
        'credtool doctor') _credtool_add --json --config --authfile --help -h ;;
        'credtool export-secret') _credtool_add --name --namespace --registry --service-account --output --output-file --config --authfile --help -h ;;
        'credtool import-secret') _credtool_add --dry-run --config --authfile --help -h ;;
        'credtool kubelet-provider') _credtool_add --cache-duration --config --authfile --help -h ;;
        esac
        return 0
    fi
    if ((!ended && npos == 0)); then
        case $path in
        'credtool')
            _credtool_add list get login logout merge migrate doctor export-secret import-secret kubelet-provider
            return 0
            ;;
        esac
    fi
    case $path in
    'credtool get')
        if ((npos == 0)); then
            mapfile -t lines < <(credtool __complete registries 2>/dev/null "${globals[@]}" 2>/dev/null)
            _credtool_add "${lines[@]}"
        fi
        ;;
    'credtool login')
        if ((npos == 0)); then
            mapfile -t lines < <(credtool __complete registries 2>/dev/null "${globals[@]}" 2>/dev/null)
            _credtool_add "${lines[@]}"
        fi
        ;;
    'credtool logout')
        if ((npos == 0)); then
            mapfile -t lines < <(credtool __complete registries 2>/dev/null "${globals[@]}" 2>/dev/null)
            _credtool_add "${lines[@]}"
        fi
        ;;
    'credtool merge')
        if ((npos >= 0)); then
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        fi
        ;;
    'credtool import-secret')
        if ((npos == 0)); then
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        fi
        ;;
    esac
    return 0
}

complete -F _credtool credtool
