# bash completion for docker-credential-swift, generated from its command specs.
# Source this file, or install it as share/bash-completion/completions/docker-credential-swift.

# Adds the words among the arguments that start with the current word ($cur) to COMPREPLY.
_docker_credential_swift_add() {
    local word
    for word in "$@"; do
        [[ $word == "$cur"* ]] && COMPREPLY+=("$word")
    done
    return 0
}

_docker_credential_swift() {
    local cur=${COMP_WORDS[COMP_CWORD]} path=docker-credential-swift word long pending=
    local -i i ended=0 npos=0
    local -a globals=() lines=()
    COMPREPLY=()
    # Walk the words before the cursor: subcommands, options and their values, arguments.
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        if [[ -n $pending ]]; then
            # bash splits --config=DIR into --config, = and DIR.
            [[ $word == = ]] && continue
            :
            pending=
        elif ((!ended)) && [[ $word == -?* ]]; then
            if [[ $word == -- ]]; then
                ended=1
                continue
            fi
            case "$path:${word%%=*}" in
            *) long= ;;
            esac
            if [[ $word == --*=* ]]; then
                word=${word#*=}
                :
            else
                pending=$long
            fi
        else
            if ((!ended && npos == 0)); then
                case "$path:$word" in
                'docker-credential-swift:store'|'docker-credential-swift:get'|'docker-credential-swift:erase'|'docker-credential-swift:list'|'docker-credential-swift:version')
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
        esac
        return 0
    fi
    if ((!ended)) && [[ $cur == -* ]]; then
        case $path in
        'docker-credential-swift') _docker_credential_swift_add --version --help -h ;;
        'docker-credential-swift store') _docker_credential_swift_add --help -h ;;
        'docker-credential-swift get') _docker_credential_swift_add --help -h ;;
        'docker-credential-swift erase') _docker_credential_swift_add --help -h ;;
        'docker-credential-swift list') _docker_credential_swift_add --help -h ;;
        'docker-credential-swift version') _docker_credential_swift_add --help -h ;;
        esac
        return 0
    fi
    if ((!ended && npos == 0)); then
        case $path in
        'docker-credential-swift')
            _docker_credential_swift_add store get erase list version
            return 0
            ;;
        esac
    fi
    return 0
}

complete -F _docker_credential_swift docker-credential-swift
