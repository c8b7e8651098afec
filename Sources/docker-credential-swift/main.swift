import CredentialHelpers
import SecretService

#if canImport(Glibc)
import Glibc
#endif

let server = HelperServer(name: "docker-credential-swift", version: credtoolVersion) { LibSecretStore() }
let outcome = server.run(arguments: Array(CommandLine.arguments.dropFirst())) { limit in
    try FileDescriptorIO.readAll(STDIN_FILENO, limit: limit)
}
try? FileDescriptorIO.write(outcome.output, to: STDOUT_FILENO)
exit(outcome.status)
