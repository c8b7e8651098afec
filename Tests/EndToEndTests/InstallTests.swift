import Foundation
import Testing

/// The regular files and symbolic links under `directory`, as paths relative to it, sorted.
private func files(under directory: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    var found: [String] = []
    while let path = walker.nextObject() as? String {
        if walker.fileAttributes?[.type] as? FileAttributeType != .typeDirectory { found.append(path) }
    }
    return found.sorted()
}

@Suite("make install and uninstall")
struct InstallTests {
    static let installed = [
        "usr/bin/credtool", "usr/bin/docker-credential-swift",
        "usr/share/bash-completion/completions/credtool", "usr/share/bash-completion/completions/docker-credential-swift",
        "usr/share/fish/vendor_completions.d/credtool.fish",
        "usr/share/fish/vendor_completions.d/docker-credential-swift.fish",
        "usr/share/man/man1/credtool.1", "usr/share/man/man1/docker-credential-swift.1",
        "usr/share/zsh/site-functions/_credtool", "usr/share/zsh/site-functions/_docker-credential-swift",
    ]

    @Test("install-files puts binaries, man pages and completions under DESTDIR/PREFIX; uninstall removes them")
    func installAndUninstall() throws {
        let destination = FileManager.default.temporaryDirectory.appendingPathComponent("credtool-install-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: destination) }
        // The binaries of this test run stand in for the release build, so nothing is built here.
        let variables = ["DESTDIR=\(destination)", "PREFIX=/usr", "RELEASE_DIR=\(productsDirectory)"]
        let install = try run("/usr/bin/make", ["-s", "-C", packageRoot, "install-files"] + variables)
        #expect(install.status == 0, "\(install)")
        #expect(files(under: destination) == Self.installed)

        for path in Self.installed {
            let attributes = try FileManager.default.attributesOfItem(atPath: destination + "/" + path)
            let mode = (attributes[.posixPermissions] as? Int) ?? 0
            #expect(mode == (path.hasPrefix("usr/bin/") ? 0o755 : 0o644), "\(path)")
        }
        let committed = [
            ("usr/share/man/man1/credtool.1", "man/credtool.1"),
            ("usr/share/bash-completion/completions/credtool", "completions/credtool.bash"),
            ("usr/share/zsh/site-functions/_docker-credential-swift", "completions/_docker-credential-swift"),
            ("usr/share/fish/vendor_completions.d/credtool.fish", "completions/credtool.fish"),
        ]
        for (installedPath, source) in committed {
            #expect(
                FileManager.default.contents(atPath: destination + "/" + installedPath)
                    == FileManager.default.contents(atPath: packageRoot + "/" + source), "\(installedPath)")
        }
        #expect(try run(destination + "/usr/bin/credtool", ["--version"]).stdout == "credtool 0.1.0\n")
        #expect(try run(destination + "/usr/bin/docker-credential-swift", ["version"]).status == 0)

        let uninstall = try run("/usr/bin/make", ["-s", "-C", packageRoot, "uninstall"] + variables)
        #expect(uninstall.status == 0, "\(uninstall)")
        #expect(files(under: destination) == [])
    }

    @Test("install builds the release first; PREFIX defaults to /usr/local")
    func installTarget() throws {
        let plan = try run("/usr/bin/make", ["-n", "-C", packageRoot, "install", "DESTDIR=/nonexistent-destdir"])
        #expect(plan.status == 0, "\(plan)")
        #expect(plan.stdout.contains("build -c release --static-swift-stdlib"))
        #expect(plan.stdout.contains("--product credtool"))
        #expect(plan.stdout.contains("install-files"))
        let files = try run("/usr/bin/make", ["-n", "-C", packageRoot, "install-files", "DESTDIR=/nonexistent-destdir"])
        #expect(files.stdout.contains("/nonexistent-destdir/usr/local/share/man/man1/"))
        #expect(!files.stdout.contains("swift build"))
    }
}
