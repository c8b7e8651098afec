#if canImport(Glibc)
import Glibc
#endif
import CredentialHelpers

/// Reading config files, and changing them under a lock with an atomic save.
///
/// Everything goes through Glibc (`open`, `flock`, `fstat`, `write`, `fsync`, `rename`):
/// Foundation's `Data.write(options: .atomic)` would recreate the file with the umask's mode.
package enum ConfigFileAccess {
    /// The largest config file read (16 MiB).
    package static let sizeLimit = 16 << 20

    /// Reads and parses the config file at `path`.
    ///
    /// - Parameter path: The file; a symbolic link is followed.
    /// - Returns: The file, or `nil` when nothing exists at `path`.
    /// - Throws: ``ConfigError`` when a directory, FIFO or device stands there, the file cannot
    ///   be read, is over ``sizeLimit`` or does not parse.
    package static func load(path: String) throws(ConfigError) -> ConfigFile? {
        try read(path, named: path)?.config
    }

    /// Changes the config file at `path` under an exclusive lock.
    ///
    /// Takes `flock(LOCK_EX)` on `<target>.lock` beside the file (the lock file stays, since
    /// removing it would race with the next writer), reads the file, runs `body` on it and saves
    /// the result, all while holding the lock. A symbolic link at `path` is followed: its final
    /// target gets the new content and the link stays a link. The save writes a temporary file in
    /// the target's directory with the old file's mode (0600 for a new file; missing directories
    /// are made 0700), `fsync`s it, renames it over the target and `fsync`s the directory, so a
    /// reader sees the old file or the new one, never a part. Nothing is written when `body`
    /// leaves the content as it was, and a file that does not parse is never overwritten.
    /// - Parameters:
    ///   - path: The config file; it need not exist yet (`body` then starts from `{}`).
    ///   - body: The change; an error it throws leaves the file untouched and is rethrown.
    /// - Returns: What `body` returns.
    /// - Throws: ``ConfigError`` for the file's problems, or what `body` throws.
    package static func update<Result>(path: String, _ body: (inout ConfigFile) throws -> Result) throws -> Result {
        try withLock(path: path) { locked in
            var config = locked.config
            let result = try body(&config)
            if config.root != locked.config.root { try locked.save(config) }
            return result
        }
    }

    /// Runs `body` while holding the config file's exclusive lock, for a change that must do more
    /// than edit the file in between reading and saving it (`credtool migrate` stores credentials,
    /// and undoes them when the save fails, before anyone else may touch the file).
    ///
    /// The lock, the read, symbolic links and the save are those of ``update(path:_:)``; `body`
    /// gets the file as read and saves through ``LockedConfigFile/save(_:)``, at most once and
    /// only before it returns (the lock is released then).
    /// - Parameters:
    ///   - path: The config file; it need not exist yet.
    ///   - body: The work done under the lock.
    /// - Returns: What `body` returns.
    /// - Throws: ``ConfigError`` for the file's problems, or what `body` throws.
    package static func withLock<Result>(path: String, _ body: (LockedConfigFile) throws -> Result) throws -> Result {
        let target = try finalTarget(of: path)
        let directory = directoryName(of: target)
        try makeDirectories(directory, for: path)

        let lockPath = target + ".lock"
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard lock >= 0 else { throw ConfigError.lockFailed(path: lockPath, reason: errorText(errno)) }
        defer { close(lock) }  // closing the descriptor releases the lock
        while flock(lock, LOCK_EX) != 0 {
            if errno != EINTR { throw ConfigError.lockFailed(path: lockPath, reason: errorText(errno)) }
        }

        let existing = try read(target, named: path)
        return try body(
            LockedConfigFile(
                config: existing?.config ?? ConfigFile(path: path), bytes: existing?.bytes, target: target,
                info: existing?.info))
    }

    /// Saves `config` to `target` as ``update(path:_:)`` does; for ``LockedConfigFile``.
    fileprivate static func save(_ config: ConfigFile, to target: String, like old: stat?) throws(ConfigError) {
        try save(config.serialized(), to: target, like: old, named: config.path)
    }

    // MARK: - Reading

    /// Reads `path`; errors name `name` (the path the user gave).
    private static func read(
        _ path: String, named name: String
    ) throws(ConfigError) -> (config: ConfigFile, info: stat, bytes: [UInt8])? {
        // stat before open, so that a FIFO or device is refused without being opened.
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT { return nil }
            throw .unreadable(path: name, reason: errorText(errno))
        }
        try checkRegularFile(info, name)
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .unreadable(path: name, reason: errorText(errno))
        }
        defer { close(fd) }
        guard fstat(fd, &info) == 0 else { throw .unreadable(path: name, reason: errorText(errno)) }
        try checkRegularFile(info, name)  // it may have been replaced since the stat
        if info.st_size > sizeLimit { throw .tooLarge(path: name, limit: sizeLimit) }
        let bytes: [UInt8]
        do { bytes = try FileDescriptorIO.readAll(fd, limit: sizeLimit) } catch {
            throw .unreadable(path: name, reason: errorText(error.code))
        }
        if bytes.count > sizeLimit { throw .tooLarge(path: name, limit: sizeLimit) }
        return (try ConfigFile(parsing: bytes, path: name), info, bytes)
    }

    private static func checkRegularFile(_ info: stat, _ name: String) throws(ConfigError) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw .isDirectory(path: name)
        default: throw .notARegularFile(path: name)
        }
    }

    // MARK: - Saving

    /// Follows symbolic links at `path` (relative ones from their own directory) to the file
    /// they finally name, which need not exist.
    private static func finalTarget(of path: String) throws(ConfigError) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count >= 0 else { throw .saveFailed(path: path, reason: errorText(errno)) }
            let destination = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = destination.hasPrefix("/") ? destination : directoryName(of: current) + "/" + destination
        }
        throw .saveFailed(path: path, reason: errorText(ELOOP))
    }

    /// Makes `directory` and its missing parents with mode 0700, as docker/cli does.
    private static func makeDirectories(_ directory: String, for name: String) throws(ConfigError) {
        var info = stat()
        if stat(directory, &info) == 0 {
            if info.st_mode & S_IFMT != S_IFDIR { throw .saveFailed(path: name, reason: "\(directory) is not a directory") }
            return
        }
        let parent = directoryName(of: directory)
        if parent != directory { try makeDirectories(parent, for: name) }
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw .saveFailed(path: name, reason: "cannot create \(directory): \(errorText(errno))")
        }
    }

    /// Writes `bytes` to a temporary file beside `target` and renames it over `target`.
    ///
    /// - Parameter old: The replaced file's status, whose mode (and, when we may, owner) the new
    ///   file takes; `nil` for a new file, which gets 0600.
    private static func save(_ bytes: [UInt8], to target: String, like old: stat?, named name: String) throws(ConfigError) {
        let directory = directoryName(of: target)
        let prefix = "." + baseName(of: target) + ".tmp-"
        removeLeftovers(in: directory, prefix: prefix)
        var template = Array((directory + "/" + prefix + "XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }  // the array is non-empty
        guard fd >= 0 else { throw .saveFailed(path: name, reason: errorText(errno)) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var open = true
        do throws(ConfigError) {
            func check(_ status: Int32) throws(ConfigError) {
                if status != 0 { throw .saveFailed(path: name, reason: errorText(errno)) }
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            try check(fchmod(fd, old.map { $0.st_mode & 0o7777 } ?? 0o600))
            if let old, old.st_uid != geteuid() || old.st_gid != getegid() {
                _ = fchown(fd, old.st_uid, old.st_gid)  // best effort: only root may give a file away
            }
            do { try FileDescriptorIO.write(String(decoding: bytes, as: UTF8.self), to: fd) } catch {
                throw .saveFailed(path: name, reason: errorText(error.code))
            }
            try check(fsync(fd))
            open = false
            try check(close(fd))
            try check(rename(temporary, target))
        } catch {
            if open { close(fd) }
            unlink(temporary)
            throw error
        }
        // The rename is durable once the directory is synced; a failure here changes nothing
        // a reader sees, so it is not reported.
        let directoryFD = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// Removes the temporary files (`prefix` and mkstemp's six characters) that a save killed
    /// between creating and renaming one left in `directory`: each holds a whole config, secrets
    /// and all. Only a save writes them, under the lock the caller holds, so any there now is
    /// left over. A failure to remove one is not reported: the save does not depend on it.
    private static func removeLeftovers(in directory: String, prefix: String) {
        guard let stream = opendir(directory) else { return }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix(prefix), name.utf8.count == prefix.utf8.count + 6 { names.append(name) }
        }
        closedir(stream)
        for name in names { unlink(directory + "/" + name) }
    }

    // MARK: - Paths

    /// The directory part of `path` (`.` for a bare name, `/` for the root).
    static func directoryName(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        let directory = trimmed[..<slash]
        return directory.isEmpty ? "/" : String(directory)
    }

    /// The last component of `path`.
    static func baseName(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        return String(trimmed.split(separator: "/").last ?? trimmed)
    }
}

/// A config file read under its lock by ``ConfigFileAccess/withLock(path:_:)``.
package struct LockedConfigFile {
    /// The file as read under the lock; an empty config (named by the given path) when there is
    /// no file.
    package let config: ConfigFile
    /// The file's bytes exactly as read, for a backup; `nil` when there is no file.
    package let bytes: [UInt8]?
    /// The file symbolic links lead to, which the save replaces.
    fileprivate let target: String
    /// The read file's status, whose mode and owner the saved file keeps.
    fileprivate let info: stat?

    /// Replaces the file with `config`, atomically, as ``ConfigFileAccess/update(path:_:)``
    /// saves (same mode, temporary file, `fsync`, `rename`); call it only inside the `withLock`
    /// body that handed out this value.
    ///
    /// - Throws: ``ConfigError/saveFailed(path:reason:)``; the old file is then untouched.
    package func save(_ config: ConfigFile) throws(ConfigError) {
        try ConfigFileAccess.save(config, to: target, like: info)
    }
}
