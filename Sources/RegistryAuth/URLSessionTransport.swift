internal import Foundation
internal import FoundationNetworking

/// ``HTTPTransport`` over FoundationNetworking's `URLSession` (libcurl underneath).
///
/// Each request gets its own ephemeral session (no cookies, cache or credential storage; never
/// `URLSession.shared`) and a delegate that:
/// - cancels every authentication challenge at once. On Linux (swift-corelibs-foundation,
///   toolchain 6.3.1) a 401 that offers `Basic` otherwise waits forever: with no delegate method
///   and with `.performDefaultHandling` alike the task never completes, whatever the timeouts.
///   The 401's headers and body have reached the delegate by then, so the response is kept and
///   the task's `NSURLErrorCancelled` is not an error here;
/// - refuses every redirect, so the 3xx itself comes back and ``RegistryClient`` decides;
/// - bounds the request with `timeoutIntervalForRequest` (the connect timeout) and cancels it at
///   the deadline from a timer of its own.
struct URLSessionTransport: HTTPTransport {
    func send(_ request: HTTPRequest, connectTimeout: Duration, deadline: ContinuousClock.Instant)
        throws(TransportFailure) -> HTTPResponse
    {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { throw .timedOut }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = connectTimeout.seconds
        configuration.timeoutIntervalForResource = remaining.seconds
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCredentialStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData

        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData)
        urlRequest.timeoutInterval = connectTimeout.seconds
        urlRequest.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }

        let delegate = SessionDelegate()
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        // The session retains its delegate until it is invalidated.
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: urlRequest)
        let finished = DispatchSemaphore(value: 0)
        delegate.onCompletion = { finished.signal() }
        task.resume()
        DispatchQueue.global().asyncAfter(deadline: .now() + remaining.seconds) { [weak task] in
            delegate.markDeadlinePassed()
            task?.cancel()
        }
        // The deadline timer cancels the task, which then completes; the grace period only guards
        // against a task that never reports back.
        if finished.wait(timeout: .now() + remaining.seconds + 5) == .timedOut {
            task.cancel()
            throw .timedOut
        }
        let result = delegate.result ?? .failure(.other("no response"))
        return try result.get()
    }
}

let userAgent = "credtool"

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// The delegate of one session with one task. Its state is guarded by `lock`: URLSession calls
/// it on its own queue while the deadline timer runs on another.
private final class SessionDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    /// Called once, on the session's queue, when the task has completed and ``result`` is set.
    var onCompletion: (@Sendable () -> Void)?
    private var outcomeResult: Result<HTTPResponse, TransportFailure>?
    private var response: HTTPURLResponse?
    private var body = Data()
    private var cancelledChallenge = false
    private var deadlinePassed = false

    /// The task's response or failure, once it has completed.
    var result: Result<HTTPResponse, TransportFailure>? { lock.withLock { outcomeResult } }

    func markDeadlinePassed() { lock.withLock { deadlinePassed = true } }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        lock.withLock {
            cancelledChallenge = true
            if response == nil, let failure = challenge.failureResponse as? HTTPURLResponse { response = failure }
        }
        completionHandler(.cancelAuthenticationChallenge, nil)
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection redirect: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)  // the 3xx completes the task; RegistryClient decides where to go
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        lock.withLock {
            self.response = response as? HTTPURLResponse
            body = Data()
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.withLock { body.append(data) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let completion = lock.withLock { () -> (@Sendable () -> Void)? in
            outcomeResult = outcome(error)
            defer { onCompletion = nil }
            return onCompletion
        }
        completion?()
    }

    /// Called with `lock` held.
    private func outcome(_ error: (any Error)?) -> Result<HTTPResponse, TransportFailure> {
        if deadlinePassed && error != nil { return .failure(.timedOut) }
        if let response, error == nil || cancelledChallenge {
            return .success(HTTPResponse(status: response.statusCode, headers: lowercased(response.allHeaderFields), body: body))
        }
        guard let error = error as NSError? else { return .failure(.other("no response")) }
        let message = (error.userInfo[NSLocalizedDescriptionKey] as? String)
            ?? ((error.userInfo[NSUnderlyingErrorKey] as? NSError)?.userInfo[NSLocalizedDescriptionKey] as? String)
            ?? error.localizedDescription
        switch error.code {
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: return .failure(.hostNotFound)
        case NSURLErrorTimedOut: return .failure(.timedOut)
        case NSURLErrorCannotConnectToHost: return .failure(.connectionRefused)
        default: return .failure(TransportFailure.classify(curlCode: nil, message: message))
        }
    }

    private func lowercased(_ fields: [AnyHashable: Any]) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in fields {
            guard let name = name as? String, let value = value as? String else { continue }
            let key = name.lowercased()
            result[key] = result[key].map { $0 + ", " + value } ?? value
        }
        return result
    }
}
