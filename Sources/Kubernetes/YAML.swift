import OrderedJSON

/// Limits the YAML reader enforces, so hostile input cannot exhaust memory or the stack.
package struct YAMLLimits: Sendable {
    /// The largest input accepted, in bytes.
    package var maxBytes: Int
    /// The deepest nesting of mappings and sequences.
    package var maxDepth: Int
    /// The most values (scalars, mappings, sequences) a stream may produce, counting every copy an
    /// alias makes, so a "billion laughs" stream of nested aliases stops early.
    package var maxNodes: Int

    /// 16 MiB, 256 levels, a million values: far beyond any Secret.
    package static let `default` = YAMLLimits()

    package init(maxBytes: Int = 16 << 20, maxDepth: Int = 256, maxNodes: Int = 1_000_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }
}

/// YAML streams read into, and written from, ``JSONValue``s with libyaml.
package enum YAML {
    /// Reads every document of a YAML stream as Kubernetes does (sigs.k8s.io/yaml: YAML to JSON).
    ///
    /// Mappings become ordered objects and sequences arrays. Plain scalars resolve as go-yaml v2
    /// resolves them: `true`/`false`/`yes`/`no`/`on`/`off`, `null`/`~`/empty, integers in Go's
    /// syntax (`0x1F`, `0o17`, `017`, `1_000`) written back in decimal, floats; quoted scalars
    /// and any other plain scalar are strings. A `!!str` tag (or `!`) makes a string; `!!int`,
    /// `!!float`, `!!bool` and `!!null` must agree with the text; other tags are ignored. Keys
    /// that are not strings are written as JSON does (`1`, `true`).
    ///
    /// Anchors and aliases are resolved within a document. An empty document (`---` with
    /// nothing after it) reads as `null`; an empty stream gives no documents.
    /// - Parameters:
    ///   - bytes: UTF-8 text; a leading byte order mark is skipped.
    ///   - limits: Size, depth and value-count limits.
    /// - Returns: One value per document, in order.
    /// - Throws: ``KubernetesError/invalidYAML(line:column:reason:)`` for malformed YAML (with
    ///   libyaml's message), a `.inf` or `.nan` (JSON has no such numbers), a key that is a
    ///   mapping, sequence or null, a key repeated in one mapping, a merge key (`<<`), an unknown
    ///   alias, or a broken limit.
    package static func documents(parsing bytes: [UInt8], limits: YAMLLimits = .default) throws(KubernetesError)
        -> [JSONValue]
    {
        guard bytes.count <= limits.maxBytes else {
            throw .invalidYAML(line: 1, column: 1, reason: "the input is larger than \(limits.maxBytes >> 20) MiB")
        }
        var builder = YAMLValueBuilder(limits: limits)
        try parseYAMLEvents(bytes) { (event) throws(KubernetesError) in try builder.handle(event) }
        return builder.documents
    }

    /// Writes values as a YAML stream, one document each, separated by `---`.
    ///
    /// Objects are block mappings in their key order (an empty one `{}`), arrays block sequences
    /// (`- ` items at their key's indentation, as kubectl writes them), with 2-space indentation
    /// and no line folding. Strings that a YAML 1.1 or 1.2 reader would take for something else
    /// (`"true"`, `"no"`, `"1.0"`, `"0x1F"`, `"null"`, `""`, `"2024-01-02"`) are double-quoted;
    /// libyaml quotes those whose syntax needs it (`"*x"`, `"a: b"`, `" x"`, line breaks,
    /// control characters).
    /// - Parameter documents: The documents; none gives an empty string.
    /// - Returns: The text, ending with a line break.
    /// - Throws: ``KubernetesError/emitterFailed(reason:)`` when libyaml fails (out of memory).
    package static func serialized(_ documents: [JSONValue]) throws(KubernetesError) -> String {
        var events: [YAMLOutputEvent] = []
        for document in documents {
            events.append(.documentStart)
            appendEvents(for: document, to: &events)
            events.append(.documentEnd)
        }
        return try emitYAML(events)
    }

    private static func appendEvents(for value: JSONValue, to events: inout [YAMLOutputEvent]) {
        switch value {
        case .null: events.append(.scalar("null", quoted: false))
        case .bool(let bool): events.append(.scalar(bool ? "true" : "false", quoted: false))
        case .number(let number): events.append(.scalar(number.text, quoted: false))
        case .string(let string): events.append(.scalar(string, quoted: mustQuote(string)))
        case .array(let elements):
            events.append(.sequenceStart)
            for element in elements { appendEvents(for: element, to: &events) }
            events.append(.sequenceEnd)
        case .object(let object):
            events.append(.mappingStart)
            for (key, member) in object {
                events.append(.scalar(key, quoted: mustQuote(key)))
                appendEvents(for: member, to: &events)
            }
            events.append(.mappingEnd)
        }
    }
}

/// Builds values from parser events without recursion: a stack of open collections.
private struct YAMLValueBuilder {
    private enum Open {
        case sequence([JSONValue], anchor: String?, mark: YAMLMark)
        case mapping(JSONObject, pendingKey: (String, YAMLMark)?, anchor: String?, mark: YAMLMark)
    }

    let limits: YAMLLimits
    var documents: [JSONValue] = []
    private var stack: [Open] = []
    private var current: JSONValue?
    /// Anchored values of the current document, with how many values each holds.
    private var anchors: [String: (value: JSONValue, nodes: Int)] = [:]
    private var nodes = 0

    init(limits: YAMLLimits) { self.limits = limits }

    mutating func handle(_ event: YAMLEvent) throws(KubernetesError) {
        switch event {
        case .documentStart:
            anchors = [:]
            current = nil
        case .documentEnd:
            documents.append(current ?? .null)
        case .scalar(let text, let tag, let anchor, let plain, let mark):
            let value = try scalarValue(text, tag: tag, plain: plain, mark: mark)
            try count(1, at: mark)
            if let anchor { anchors[anchor] = (value, 1) }
            try add(value, isScalar: true, mark: mark)
        case .alias(let name, let mark):
            guard let (value, size) = anchors[name] else {
                throw .invalidYAML(line: mark.line, column: mark.column, reason: "unknown alias *\(name)")
            }
            try count(size, at: mark)
            try add(value, isScalar: !(value.objectValue != nil || value.arrayValue != nil), mark: mark)
        case .sequenceStart(let anchor, let mark):
            try open(.sequence([], anchor: anchor, mark: mark), mark: mark)
        case .mappingStart(let anchor, let mark):
            try open(.mapping(JSONObject(), pendingKey: nil, anchor: anchor, mark: mark), mark: mark)
        case .sequenceEnd, .mappingEnd:
            // libyaml only sends an end event for a collection it opened.
            let closed = stack.removeLast()
            let value: JSONValue
            let anchor: String?
            let start: YAMLMark
            switch closed {
            case .sequence(let elements, let name, let mark):
                value = .array(elements)
                anchor = name
                start = mark
            case .mapping(let object, _, let name, let mark):
                value = .object(object)
                anchor = name
                start = mark
            }
            if let anchor { anchors[anchor] = (value, nodeCount(value)) }
            try add(value, isScalar: false, mark: start)
        }
    }

    private mutating func open(_ collection: Open, mark: YAMLMark) throws(KubernetesError) {
        guard stack.count < limits.maxDepth else {
            throw .invalidYAML(
                line: mark.line, column: mark.column, reason: "nested deeper than \(limits.maxDepth) levels")
        }
        try count(1, at: mark)
        stack.append(collection)
    }

    private mutating func count(_ added: Int, at mark: YAMLMark) throws(KubernetesError) {
        nodes += added
        guard nodes <= limits.maxNodes else {
            throw .invalidYAML(
                line: mark.line, column: mark.column,
                reason: "more than \(limits.maxNodes) values (counting alias copies)")
        }
    }

    /// Puts a finished value where it belongs: the document, a sequence, or a mapping's key or value.
    private mutating func add(_ value: JSONValue, isScalar: Bool, mark: YAMLMark) throws(KubernetesError) {
        guard let top = stack.popLast() else {
            current = value
            return
        }
        switch top {
        case .sequence(var elements, let anchor, let start):
            elements.append(value)
            stack.append(.sequence(elements, anchor: anchor, mark: start))
        case .mapping(var object, let pendingKey, let anchor, let start):
            if let (key, keyMark) = pendingKey {
                if object[key] != nil {
                    throw .invalidYAML(
                        line: keyMark.line, column: keyMark.column,
                        reason: "the key \"\(key)\" appears twice in one mapping")
                }
                object[key] = value
                stack.append(.mapping(object, pendingKey: nil, anchor: anchor, mark: start))
            } else {
                let keyMark = mark
                guard isScalar, let key = keyText(value) else {
                    throw .invalidYAML(
                        line: keyMark.line, column: keyMark.column,
                        reason: "a mapping key must be a string, a number or a boolean")
                }
                stack.append(.mapping(object, pendingKey: (key, keyMark), anchor: anchor, mark: start))
            }
        }
    }

    /// A scalar key as JSON text writes it (sigs.k8s.io/yaml turns `1` and `true` keys into strings).
    private func keyText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let string): string
        case .number(let number): number.text
        case .bool(let bool): bool ? "true" : "false"
        default: nil
        }
    }

    private func scalarValue(_ text: String, tag: String?, plain: Bool, mark: YAMLMark) throws(KubernetesError)
        -> JSONValue
    {
        let core = "tag:yaml.org,2002:"
        let expected: String?
        switch tag {
        case nil:
            if !plain { return .string(text) }
            expected = nil
        case (core + "int")?, (core + "float")?, (core + "bool")?, (core + "null")?:
            expected = String(tag!.dropFirst(core.count))  // the case matched a non-nil tag
        default:
            return .string(text)  // `!!str`, `!`, `!!binary` and tags go-yaml does not resolve
        }
        let resolved = resolvePlainScalar(text)
        if text == "<<" && plain && tag == nil && isKeyPosition {
            throw .invalidYAML(
                line: mark.line, column: mark.column, reason: "merge keys (<<) are not supported; write the keys out")
        }
        let value: JSONValue
        let kind: String
        switch resolved {
        case .null:
            value = .null
            kind = "null"
        case .bool(let bool):
            value = .bool(bool)
            kind = "bool"
        case .integer(let digits):
            value = .number(JSONNumber(text: digits)!)
            kind = "int"  // decimal digits are a JSON number
        case .float(let json):
            value = .number(JSONNumber(text: json)!)
            kind = "float"  // checked or produced by Double
        case .nonFinite:
            throw .invalidYAML(
                line: mark.line, column: mark.column, reason: "\(text) has no JSON form; quote it if it is a string")
        case .string:
            value = .string(text)
            kind = "str"
        }
        if let expected, expected != kind, !(expected == "float" && kind == "int") {
            throw .invalidYAML(
                line: mark.line, column: mark.column, reason: "the value tagged !!\(expected) is not one")
        }
        return value
    }

    /// Whether the next value completes a mapping key rather than a value.
    private var isKeyPosition: Bool {
        if case .mapping(_, nil, _, _)? = stack.last { return true }
        return false
    }
}

/// How many values `value` holds, itself included.
private func nodeCount(_ value: JSONValue) -> Int {
    switch value {
    case .array(let elements): elements.reduce(1) { $0 + nodeCount($1) }
    case .object(let object): object.values.reduce(1) { $0 + nodeCount($1) }
    default: 1
    }
}
