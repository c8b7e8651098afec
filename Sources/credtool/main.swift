#if canImport(Glibc)
import Glibc
#endif
import CommandLineKit
import CredTool

var io = CommandIO.process()
exit(runCredTool(Array(CommandLine.arguments.dropFirst()), io: &io))
