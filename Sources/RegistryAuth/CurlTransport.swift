internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#endif

/// ``HTTPTransport`` over libcurl's easy interface, loaded with `dlopen` when credtool first
/// talks to a registry.
///
/// Not FoundationNetworking's URLSession, for three reasons found with toolchain 6.3.1:
/// - linking it puts libcurl and its thirty libraries (TLS, Kerberos, LDAP, SSH, ...) in the
///   start-up of every credtool command: about 20 ms of symbol binding, for `list` as for `login`;
/// - it cannot trust an extra CA: swift-corelibs-foundation reads
///   `URLSessionCertificateAuthorityInfoFile` on Android only and raises no server-trust
///   challenge, and libcurl under it ignores `SSL_CERT_FILE` and `CURL_CA_BUNDLE`;
/// - a 401 that offers `Basic` makes a task wait forever unless a delegate cancels the challenge.
///
/// `CURLOPT_CAINFO` (`--ca-file`) replaces the CA bundle with the file; the system's CA directory
/// (`CURLOPT_CAPATH`, `/etc/ssl/certs` on Debian) stays, so public CAs are still trusted, as
/// with Docker's `certs.d`. Redirects are not followed and no authentication is answered:
/// ``RegistryClient`` decides both. The helper links none of this.
struct CurlTransport: HTTPTransport {
    /// A CA bundle to trust (`--ca-file`), or `nil` for the system's.
    var caFile: String?

    func send(_ request: HTTPRequest, connectTimeout: Duration, deadline: ContinuousClock.Instant)
        throws(TransportFailure) -> HTTPResponse
    {
        let curl: Curl
        switch Curl.shared {
        case .success(let loaded): curl = loaded
        case .failure(let failure): throw failure
        }
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { throw .timedOut }
        let result = curl.perform(request, caFile: caFile, connectTimeout: connectTimeout, totalTimeout: remaining)
        return try result.get()
    }
}

/// The few libcurl entry points used, resolved with `dlsym`.
///
/// `curl_easy_setopt` and `curl_easy_getinfo` are variadic; they are called through
/// non-variadic function types of the one argument passed, which is the same call on the
/// System V x86-64 and AArch64 Linux ABIs for integer and pointer arguments.
private struct Curl: @unchecked Sendable {
    typealias Callback = @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int

    let easyInit: @convention(c) () -> OpaquePointer?
    let setPointer: @convention(c) (OpaquePointer?, Int32, UnsafeRawPointer?) -> Int32
    let setLong: @convention(c) (OpaquePointer?, Int32, Int) -> Int32
    let setCallback: @convention(c) (OpaquePointer?, Int32, Callback?) -> Int32
    let perform: @convention(c) (OpaquePointer?) -> Int32
    let getLong: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<Int>) -> Int32
    let cleanup: @convention(c) (OpaquePointer?) -> Void
    let slistAppend: @convention(c) (OpaquePointer?, UnsafePointer<CChar>) -> OpaquePointer?
    let slistFree: @convention(c) (OpaquePointer?) -> Void

    // From curl/curl.h (stable ABI: option numbers never change).
    static let optWriteData: Int32 = 10001, optURL: Int32 = 10002, optErrorBuffer: Int32 = 10010
    static let optUserAgent: Int32 = 10018, optHTTPHeader: Int32 = 10023, optHeaderData: Int32 = 10029
    static let optCAInfo: Int32 = 10065, optProtocolsString: Int32 = 10318
    static let optWriteFunction: Int32 = 20011, optHeaderFunction: Int32 = 20079
    static let optFollowLocation: Int32 = 52, optNoSignal: Int32 = 99
    static let optTimeoutMS: Int32 = 155, optConnectTimeoutMS: Int32 = 156
    static let infoResponseCode: Int32 = 0x20_0002
    static let errorBufferSize = 256

    static let shared: Result<Curl, TransportFailure> = load()

    private static func load() -> Result<Curl, TransportFailure> {
        guard let library = dlopen("libcurl.so.4", RTLD_NOW) ?? dlopen("libcurl.so", RTLD_NOW) else {
            return .failure(.curlUnavailable("libcurl.so.4 could not be loaded"))
        }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            dlsym(library, name).map { unsafeBitCast($0, to: type) }
        }
        guard let easyInit = symbol("curl_easy_init", as: (@convention(c) () -> OpaquePointer?).self),
            let setopt = dlsym(library, "curl_easy_setopt"),
            let perform = symbol("curl_easy_perform", as: (@convention(c) (OpaquePointer?) -> Int32).self),
            let getinfo = dlsym(library, "curl_easy_getinfo"),
            let cleanup = symbol("curl_easy_cleanup", as: (@convention(c) (OpaquePointer?) -> Void).self),
            let slistAppend = symbol(
                "curl_slist_append", as: (@convention(c) (OpaquePointer?, UnsafePointer<CChar>) -> OpaquePointer?).self),
            let slistFree = symbol("curl_slist_free_all", as: (@convention(c) (OpaquePointer?) -> Void).self)
        else { return .failure(.curlUnavailable("libcurl lacks the easy interface")) }
        return .success(
            Curl(
                easyInit: easyInit,
                setPointer: unsafeBitCast(setopt, to: (@convention(c) (OpaquePointer?, Int32, UnsafeRawPointer?) -> Int32).self),
                setLong: unsafeBitCast(setopt, to: (@convention(c) (OpaquePointer?, Int32, Int) -> Int32).self),
                setCallback: unsafeBitCast(setopt, to: (@convention(c) (OpaquePointer?, Int32, Callback?) -> Int32).self),
                perform: perform,
                getLong: unsafeBitCast(getinfo, to: (@convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<Int>) -> Int32).self),
                cleanup: cleanup, slistAppend: slistAppend, slistFree: slistFree))
    }

    /// What the callbacks collect; passed to libcurl as an unretained pointer that outlives the
    /// transfer (it is released after `curl_easy_cleanup`).
    private final class Collected {
        var headers: [String: String] = [:]
        var body = Data()
    }

    func perform(_ request: HTTPRequest, caFile: String?, connectTimeout: Duration, totalTimeout: Duration)
        -> Result<HTTPResponse, TransportFailure>
    {
        guard let handle = easyInit() else { return .failure(.other("curl_easy_init failed")) }
        defer { cleanup(handle) }
        let collected = Collected()
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Self.errorBufferSize)
        errorBuffer.initialize(repeating: 0, count: Self.errorBufferSize)
        defer { errorBuffer.deallocate() }
        var headerList: OpaquePointer? = nil
        defer { slistFree(headerList) }
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) + [("User-Agent", userAgent)] {
            headerList = slistAppend(headerList, "\(name): \(value)")
        }
        let collectedPointer = Unmanaged.passUnretained(collected).toOpaque()

        _ = request.url.absoluteString.withCString { setPointer(handle, Self.optURL, $0) }
        if let caFile { _ = caFile.withCString { setPointer(handle, Self.optCAInfo, $0) } }  // libcurl copies strings
        _ = "http,https".withCString { setPointer(handle, Self.optProtocolsString, $0) }
        _ = setPointer(handle, Self.optHTTPHeader, UnsafeRawPointer(headerList))
        _ = setPointer(handle, Self.optErrorBuffer, errorBuffer)
        _ = setLong(handle, Self.optNoSignal, 1)
        _ = setLong(handle, Self.optFollowLocation, 0)
        _ = setLong(handle, Self.optConnectTimeoutMS, max(1, Int(connectTimeout.seconds * 1000)))
        _ = setLong(handle, Self.optTimeoutMS, max(1, Int(totalTimeout.seconds * 1000)))
        _ = setPointer(handle, Self.optWriteData, collectedPointer)
        _ = setPointer(handle, Self.optHeaderData, collectedPointer)
        _ = setCallback(handle, Self.optWriteFunction) { data, size, count, context in
            guard let data, let context else { return 0 }
            let collected = Unmanaged<Collected>.fromOpaque(context).takeUnretainedValue()
            collected.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
            return size * count
        }
        _ = setCallback(handle, Self.optHeaderFunction) { data, size, count, context in
            guard let data, let context else { return 0 }
            let collected = Unmanaged<Collected>.fromOpaque(context).takeUnretainedValue()
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
            if line.hasPrefix("HTTP/") {
                collected.headers = [:]  // a new response (after a 100 Continue, say)
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                collected.headers[name] = collected.headers[name].map { $0 + ", " + value } ?? value
            }
            return size * count
        }

        let code = withExtendedLifetime(collected) { Int(perform(handle)) }
        guard code == 0 else {
            let message = String(cString: errorBuffer)
            if code == 77 { return .failure(.caFileUnsupported(message.isEmpty ? "libcurl cannot read it" : message)) }
            return .failure(TransportFailure.classify(curlCode: code, message: message.isEmpty ? "libcurl error \(code)" : message))
        }
        var status = 0
        _ = getLong(handle, Self.infoResponseCode, &status)
        return .success(HTTPResponse(status: status, headers: collected.headers, body: collected.body))
    }
}
