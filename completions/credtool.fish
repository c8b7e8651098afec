# fish completion for credtool, generated from its command specs.
# Install it as credtool.fish in a directory on $fish_complete_path.

# Prints where the words before the cursor lead: the command path (names joined by
# spaces), how many arguments it has been given, whether an option waits for its value
# (1 or 0), and whether -- has ended the options (1 or 0).
function __credtool_state
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path 'credtool'
    set -l npos 0
    set -l pending 0
    set -l ended 0
    for word in $tokens
        if test $pending = 1
            set pending 0
        else if test $ended = 0; and string match -q -- '-?*' $word
            if test $word = --
                set ended 1
            else if contains -- "$path:$word" 'credtool:--config' 'credtool:--authfile' 'credtool list:--config' 'credtool list:--authfile' 'credtool get:--config' 'credtool get:--authfile' 'credtool login:--username' 'credtool login:-u' 'credtool login:--password' 'credtool login:-p' 'credtool login:--ca-file' 'credtool login:--config' 'credtool login:--authfile' 'credtool logout:--config' 'credtool logout:--authfile' 'credtool merge:--output' 'credtool merge:-o' 'credtool merge:--config' 'credtool merge:--authfile' 'credtool migrate:--store' 'credtool migrate:--config' 'credtool migrate:--authfile' 'credtool doctor:--config' 'credtool doctor:--authfile' 'credtool export-secret:--name' 'credtool export-secret:--namespace' 'credtool export-secret:--registry' 'credtool export-secret:--service-account' 'credtool export-secret:--output' 'credtool export-secret:--output-file' 'credtool export-secret:--config' 'credtool export-secret:--authfile' 'credtool import-secret:--config' 'credtool import-secret:--authfile' 'credtool kubelet-provider:--cache-duration' 'credtool kubelet-provider:--config' 'credtool kubelet-provider:--authfile'
                set pending 1
            end
        else if test $ended = 0 -a $npos = 0; and contains -- "$path:$word" 'credtool:list' 'credtool:get' 'credtool:login' 'credtool:logout' 'credtool:merge' 'credtool:migrate' 'credtool:doctor' 'credtool:export-secret' 'credtool:import-secret' 'credtool:kubelet-provider'
            set path "$path $word"
        else
            set npos (math $npos + 1)
        end
    end
    printf '%s\n' $path $npos $pending $ended
end

# Succeeds when the command path is one of the arguments.
function __credtool_at
    set -l state (__credtool_state)
    contains -- $state[1] $argv
end

# Succeeds when a subcommand of the command at path $argv[1] may come next.
function __credtool_needs_command
    set -l state (__credtool_state)
    test "$state[1]" = $argv[1] -a $state[2] = 0 -a $state[3] = 0 -a $state[4] = 0
end

# Succeeds when the next word is argument $argv[2] (from 0) of the command at path
# $argv[1], or any later one when $argv[3] is +.
function __credtool_argument
    set -l state (__credtool_state)
    test "$state[1]" = $argv[1] -a $state[3] = 0; or return 1
    if test "$argv[3]" = +
        test $state[2] -ge $argv[2]
    else
        test $state[2] = $argv[2]
    end
end

# Prints the global options with values typed so far, in long form, one word a line.
function __credtool_globals
    set -l tokens (commandline -opc)
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case '--config'
                set i (math $i + 1)
                test $i -le (count $tokens); and printf '%s\n' '--config' $tokens[$i]
            case '--config=*'
                printf '%s\n' '--config' (string replace -r -- '^[^=]*=' '' $tokens[$i])
            case '--authfile'
                set i (math $i + 1)
                test $i -le (count $tokens); and printf '%s\n' '--authfile' $tokens[$i]
            case '--authfile=*'
                printf '%s\n' '--authfile' (string replace -r -- '^[^=]*=' '' $tokens[$i])
        end
        set i (math $i + 1)
    end | string replace -r -- '^~/' "$HOME/"
end

# Prints the candidates from: credtool __complete registries 2>/dev/null
function __credtool_custom_1
    credtool __complete registries 2>/dev/null (__credtool_globals) 2>/dev/null
end

complete -c 'credtool' -f

# Subcommands
complete -c 'credtool' -n '__credtool_needs_command "credtool"' -a 'list' -d 'List the registries you have credentials for and where each lives.'
complete -c 'credtool' -n '__credtool_needs_command "credtool"' -a 'get' -d 'Print the credentials Docker would use for a registry, as JSON.'
complete -c 'credtool' -n '__credtool_needs_command "credtool"' -a 'login' -d 'Check credentials with a registry, then store them.'
complete -c 'credtool' -n '__credtool_needs_command "credtool"' -a 'logout' -d 'Remove a registry\'s credentials from its store and the config file.'
complete -c 'credtool' -n '__credtool_needs_command "credtool"' -a 'merge' -d 'Merge the credentials of several config.json or auth.json files.'
complete -c 'credtool' -n '__credtool_needs_command "credtool"' -a 'migrate' -d 'Move the config file\'s plain-text credentials into a credential store.'
complete -c 'credtool' -n '__credtool_needs_command "credtool"' -a 'doctor' -d 'Check the credential setup and say how to fix each problem.'
complete -c 'credtool' -n '__credtool_needs_command "credtool"' -a 'export-secret' -d 'Write a Kubernetes image pull Secret holding your registry credentials.'
complete -c 'credtool' -n '__credtool_needs_command "credtool"' -a 'import-secret' -d 'Store the registry credentials of a Kubernetes pull Secret or a docker config.'
complete -c 'credtool' -n '__credtool_needs_command "credtool"' -a 'kubelet-provider' -d 'Answer a kubelet\'s image credential provider request from the config.'

# Options
complete -c 'credtool' -n '__credtool_at "credtool" "credtool list" "credtool get" "credtool login" "credtool logout" "credtool merge" "credtool migrate" "credtool doctor" "credtool export-secret" "credtool import-secret" "credtool kubelet-provider"' -l 'config' -r -f -a '(__fish_complete_directories)' -d 'The directory holding config.json, as docker --config takes it.'
complete -c 'credtool' -n '__credtool_at "credtool" "credtool list" "credtool get" "credtool login" "credtool logout" "credtool merge" "credtool migrate" "credtool doctor" "credtool export-secret" "credtool import-secret" "credtool kubelet-provider"' -l 'authfile' -r -F -d 'A Podman/containers auth.json to use instead of a Docker config.'
complete -c 'credtool' -n '__credtool_at "credtool list" "credtool doctor"' -l 'json' -d 'Print a JSON array for scripts instead of a table.'
complete -c 'credtool' -n '__credtool_at "credtool login"' -l 'username' -s 'u' -r -f -d 'The username; prompted for on a terminal.'
complete -c 'credtool' -n '__credtool_at "credtool login"' -l 'password' -s 'p' -r -f -d 'The password (insecure: it shows in ps and shell history; use --password-stdin).'
complete -c 'credtool' -n '__credtool_at "credtool login"' -l 'password-stdin' -d 'Read the password from stdin (one trailing newline is removed).'
complete -c 'credtool' -n '__credtool_at "credtool login"' -l 'insecure' -d 'Allow plain http for the registry and its token server.'
complete -c 'credtool' -n '__credtool_at "credtool login"' -l 'ca-file' -r -F -d 'Also trust the CA certificates in this PEM file (a registry with a private CA).'
complete -c 'credtool' -n '__credtool_at "credtool login"' -l 'plaintext' -d 'Store the credentials in the config file (base64), not in a store.'
complete -c 'credtool' -n '__credtool_at "credtool merge"' -l 'output' -s 'o' -r -F -d 'Save the result into FILE instead of printing it.'
complete -c 'credtool' -n '__credtool_at "credtool migrate"' -l 'store' -r -f -a 'swift' -d 'The credential store: swift, or NAME for docker-credential-NAME on PATH.'
complete -c 'credtool' -n '__credtool_at "credtool migrate"' -l 'dry-run' -d 'List each registry, username and target store; change nothing.'
complete -c 'credtool' -n '__credtool_at "credtool migrate"' -l 'no-backup' -d 'Keep no backup of the old file and its plain-text secrets.'
complete -c 'credtool' -n '__credtool_at "credtool export-secret"' -l 'name' -r -f -d 'The Secret\'s name, a DNS subdomain.'
complete -c 'credtool' -n '__credtool_at "credtool export-secret"' -l 'namespace' -r -f -d 'The namespace of the Secret and the ServiceAccount.'
complete -c 'credtool' -n '__credtool_at "credtool export-secret"' -l 'registry' -r -f -a '(__credtool_custom_1)' -d 'Export only this registry (host, host:port or URL); may be repeated.'
complete -c 'credtool' -n '__credtool_at "credtool export-secret"' -l 'service-account' -r -f -d 'Also write this ServiceAccount, pulling images with the Secret.'
complete -c 'credtool' -n '__credtool_at "credtool export-secret"' -l 'output' -r -f -a 'yaml json' -d 'The manifest format: yaml or json.'
complete -c 'credtool' -n '__credtool_at "credtool export-secret"' -l 'output-file' -r -F -d 'Write the manifest to FILE (mode 0600) instead of stdout.'
complete -c 'credtool' -n '__credtool_at "credtool import-secret"' -l 'dry-run' -d 'Say what would be imported, and store and change nothing.'
complete -c 'credtool' -n '__credtool_at "credtool kubelet-provider"' -l 'cache-duration' -r -f -d 'How long the kubelet may cache the answer, in Go\'s syntax (90s, 5m, 1h30m).'
complete -c 'credtool' -n '__credtool_at "credtool"' -l version -d 'Show the version.'
complete -c 'credtool' -n '__credtool_at "credtool" "credtool list" "credtool get" "credtool login" "credtool logout" "credtool merge" "credtool migrate" "credtool doctor" "credtool export-secret" "credtool import-secret" "credtool kubelet-provider"' -l help -s h -d 'Show help information.'

# Arguments
complete -c 'credtool' -n '__credtool_argument "credtool get" 0' -f -a '(__credtool_custom_1)'
complete -c 'credtool' -n '__credtool_argument "credtool login" 0' -f -a '(__credtool_custom_1)'
complete -c 'credtool' -n '__credtool_argument "credtool logout" 0' -f -a '(__credtool_custom_1)'
complete -c 'credtool' -n '__credtool_argument "credtool merge" 0 +' -F
complete -c 'credtool' -n '__credtool_argument "credtool import-secret" 0' -F
