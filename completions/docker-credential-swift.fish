# fish completion for docker-credential-swift, generated from its command specs.
# Install it as docker-credential-swift.fish in a directory on $fish_complete_path.

# Prints where the words before the cursor lead: the command path (names joined by
# spaces), how many arguments it has been given, whether an option waits for its value
# (1 or 0), and whether -- has ended the options (1 or 0).
function __docker_credential_swift_state
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path 'docker-credential-swift'
    set -l npos 0
    set -l pending 0
    set -l ended 0
    for word in $tokens
        if test $pending = 1
            set pending 0
        else if test $ended = 0; and string match -q -- '-?*' $word
            if test $word = --
                set ended 1
            else if contains -- "$path:$word" 
                set pending 1
            end
        else if test $ended = 0 -a $npos = 0; and contains -- "$path:$word" 'docker-credential-swift:store' 'docker-credential-swift:get' 'docker-credential-swift:erase' 'docker-credential-swift:list' 'docker-credential-swift:version'
            set path "$path $word"
        else
            set npos (math $npos + 1)
        end
    end
    printf '%s\n' $path $npos $pending $ended
end

# Succeeds when the command path is one of the arguments.
function __docker_credential_swift_at
    set -l state (__docker_credential_swift_state)
    contains -- $state[1] $argv
end

# Succeeds when a subcommand of the command at path $argv[1] may come next.
function __docker_credential_swift_needs_command
    set -l state (__docker_credential_swift_state)
    test "$state[1]" = $argv[1] -a $state[2] = 0 -a $state[3] = 0 -a $state[4] = 0
end

# Succeeds when the next word is argument $argv[2] (from 0) of the command at path
# $argv[1], or any later one when $argv[3] is +.
function __docker_credential_swift_argument
    set -l state (__docker_credential_swift_state)
    test "$state[1]" = $argv[1] -a $state[3] = 0; or return 1
    if test "$argv[3]" = +
        test $state[2] -ge $argv[2]
    else
        test $state[2] = $argv[2]
    end
end

complete -c 'docker-credential-swift' -f

# Subcommands
complete -c 'docker-credential-swift' -n '__docker_credential_swift_needs_command "docker-credential-swift"' -a 'store' -d 'Store the credentials read from standard input.'
complete -c 'docker-credential-swift' -n '__docker_credential_swift_needs_command "docker-credential-swift"' -a 'get' -d 'Print the credentials stored for the server URL read from standard input.'
complete -c 'docker-credential-swift' -n '__docker_credential_swift_needs_command "docker-credential-swift"' -a 'erase' -d 'Remove the credentials of the server URL read from standard input.'
complete -c 'docker-credential-swift' -n '__docker_credential_swift_needs_command "docker-credential-swift"' -a 'list' -d 'Print every stored server and its username as a JSON object.'
complete -c 'docker-credential-swift' -n '__docker_credential_swift_needs_command "docker-credential-swift"' -a 'version' -d 'Print the version: docker-credential-swift (credtool) and its number.'

# Options
complete -c 'docker-credential-swift' -n '__docker_credential_swift_at "docker-credential-swift"' -l version -d 'Show the version.'
complete -c 'docker-credential-swift' -n '__docker_credential_swift_at "docker-credential-swift" "docker-credential-swift store" "docker-credential-swift get" "docker-credential-swift erase" "docker-credential-swift list" "docker-credential-swift version"' -l help -s h -d 'Show help information.'

# Arguments
