import CredentialHelpers
import OrderedJSON

// The kubelet credential provider exec plugin protocol
// (https://kubernetes.io/docs/reference/config-api/kubelet-credentialprovider.v1/): the kubelet
// writes a CredentialProviderRequest on the plugin's stdin and reads a CredentialProviderResponse
// of the same apiVersion from its stdout.

/// The API versions of the credential provider protocol; the answer uses the request's.
package enum CredentialProviderAPIVersion: String, Sendable, CaseIterable {
    case v1 = "credentialprovider.kubelet.k8s.io/v1"
    case v1beta1 = "credentialprovider.kubelet.k8s.io/v1beta1"
    case v1alpha1 = "credentialprovider.kubelet.k8s.io/v1alpha1"
}

/// A CredentialProviderRequest: the image the kubelet is about to pull.
package struct CredentialProviderRequest: Sendable, Hashable {
    /// The request's version, which the response must repeat.
    package var apiVersion: CredentialProviderAPIVersion
    /// `image`: the image being pulled, as the kubelet names it (usually normalised, such as
    /// `docker.io/library/nginx`).
    package var image: String

    package init(apiVersion: CredentialProviderAPIVersion, image: String) {
        self.apiVersion = apiVersion
        self.image = image
    }

    /// Reads a request from the JSON the kubelet writes on stdin.
    ///
    /// Fields other than `kind`, `apiVersion` and `image` (such as v1's `serviceAccountToken`)
    /// are ignored.
    /// - Throws: ``KubernetesError/invalidCredentialProviderRequest(reason:)`` when the input is
    ///   not a JSON object, `kind` is not `CredentialProviderRequest`, `apiVersion` is not one of
    ///   ``CredentialProviderAPIVersion``, or `image` is missing, empty or not a string.
    package init(parsing bytes: [UInt8]) throws(KubernetesError) {
        let value: JSONValue
        do throws(JSONError) {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw .invalidCredentialProviderRequest(reason: "the input is not JSON (\(error))")
        }
        guard case .object(let object) = value else {
            throw .invalidCredentialProviderRequest(reason: "the input is not a JSON object")
        }
        guard let kind = object["kind"] else {
            throw .invalidCredentialProviderRequest(reason: "kind is missing")
        }
        guard kind == "CredentialProviderRequest" else {
            throw .invalidCredentialProviderRequest(
                reason: "kind is \(kind.serialized()), not \"CredentialProviderRequest\"")
        }
        guard let versionValue = object["apiVersion"] else {
            throw .invalidCredentialProviderRequest(reason: "apiVersion is missing")
        }
        guard let text = versionValue.stringValue, let version = CredentialProviderAPIVersion(rawValue: text) else {
            let known = CredentialProviderAPIVersion.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidCredentialProviderRequest(
                reason: "apiVersion \(versionValue.serialized()) is not one of \(known)")
        }
        guard case .string(let image)? = object["image"], !image.isEmpty else {
            throw .invalidCredentialProviderRequest(reason: "image is missing or empty")
        }
        self.init(apiVersion: version, image: image)
    }
}

/// How the kubelet caches a response (`cacheKeyType`).
package enum CredentialProviderCacheKeyType: String, Sendable {
    /// For the image alone.
    case image = "Image"
    /// For every image of the image's registry.
    case registry = "Registry"
    /// For every image.
    case global = "Global"
}

/// A CredentialProviderResponse: credentials keyed by the images they apply to.
package struct CredentialProviderResponse: Sendable {
    /// The request's version.
    package var apiVersion: CredentialProviderAPIVersion
    /// What the kubelet caches the answer for.
    package var cacheKeyType: CredentialProviderCacheKeyType
    /// How long the kubelet keeps the answer; `nil` leaves it to the plugin's default in the
    /// kubelet's CredentialProviderConfig.
    package var cacheDuration: GoDuration?
    /// `auth`: match keys (``kubeletMatchKey(forConfigKey:)`` form) with a username and password,
    /// in order.
    package var auth: [(matchKey: String, username: String, password: String)]

    /// Builds the answer for `request` from the credentials of the matching registries.
    ///
    /// Each credential's `serverURL` (a config key, as ``matchingKeys(image:keys:)`` returns it)
    /// becomes the kubelet's match key; when two give the same key, the first is kept.
    /// Identity tokens are left out: the kubelet can only send a username and password.
    /// - Parameters:
    ///   - request: The request being answered.
    ///   - credentials: The matching credentials, most specific first; none gives an empty `auth`.
    ///   - cacheDuration: How long the kubelet may cache the answer; 5 minutes by default.
    ///   - cacheKeyType: `Registry` by default; `Image` when a key has a path (`quay.io/org`),
    ///     since a registry-wide cache would hand that path's credentials to the registry's
    ///     other repositories.
    package init(
        answering request: CredentialProviderRequest, credentials: [Credentials],
        cacheDuration: GoDuration? = .minutes(5), cacheKeyType: CredentialProviderCacheKeyType? = nil
    ) {
        var auth: [(matchKey: String, username: String, password: String)] = []
        for credential in credentials where credential.isUsableByKubelet {
            guard let key = kubeletMatchKey(forConfigKey: credential.serverURL),
                !auth.contains(where: { $0.matchKey == key })
            else { continue }
            auth.append((key, credential.username, credential.secret))
        }
        apiVersion = request.apiVersion
        self.cacheDuration = cacheDuration
        self.auth = auth
        self.cacheKeyType = cacheKeyType ?? (auth.contains { $0.matchKey.contains("/") } ? .image : .registry)
    }

    /// The response as compact JSON, in the field order of the API types, ending with a line break:
    /// `{"kind":"CredentialProviderResponse","apiVersion":…,"cacheKeyType":…,"cacheDuration":…,"auth":{…}}`.
    package func json() -> String {
        var authObject = JSONObject()
        for entry in auth {
            authObject[entry.matchKey] = ["username": .string(entry.username), "password": .string(entry.password)]
        }
        var object: JSONObject = [
            "kind": "CredentialProviderResponse", "apiVersion": .string(apiVersion.rawValue),
            "cacheKeyType": .string(cacheKeyType.rawValue),
        ]
        if let cacheDuration { object["cacheDuration"] = .string(cacheDuration.description) }
        object["auth"] = .object(authObject)
        return JSONValue.object(object).serialized(.compact) + "\n"
    }
}
