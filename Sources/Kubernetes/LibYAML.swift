// The only code in the package that touches libyaml or an unsafe pointer to its structures.
// Everything above this file sees Swift values: `YAMLEvent`s in, `YAMLOutputEvent`s out.
//
// Ownership rules (libyaml 0.2.5, https://github.com/yaml/libyaml/blob/master/include/yaml.h):
// - `yaml_parser_t` and `yaml_emitter_t` store pointers to themselves (the string reader keeps
//   `read_handler_data = parser`), so they live in heap memory that does not move, allocated and
//   freed here; `yaml_*_initialize` cleans up after itself when it fails, so `yaml_*_delete` is
//   only owed after it succeeded.
// - Each event `yaml_parser_parse` fills is owned by the caller until `yaml_event_delete`; on
//   failure the event is left zeroed, so deleting it is harmless.
// - `yaml_emitter_emit` takes ownership of the event it is given, whether it succeeds or not; a
//   `yaml_*_event_initialize` that fails leaves nothing to free.
// - The input buffer must outlive the parser: parsing runs inside `withUnsafeBufferPointer`.

internal import CLibYAML

/// A position in YAML input, 1-based (libyaml counts from 0).
struct YAMLMark: Hashable, Sendable, CustomStringConvertible {
    var line: Int
    var column: Int

    var description: String { "line \(line), column \(column)" }
}

/// The parts of a libyaml parser event that building values needs, copied into Swift values.
enum YAMLEvent {
    case documentStart
    case documentEnd
    /// A scalar; `plain` when it was written without quotes or block indicators.
    case scalar(value: String, tag: String?, anchor: String?, plain: Bool, mark: YAMLMark)
    case alias(anchor: String, mark: YAMLMark)
    case sequenceStart(anchor: String?, mark: YAMLMark)
    case sequenceEnd
    case mappingStart(anchor: String?, mark: YAMLMark)
    case mappingEnd
}

/// Runs libyaml's parser over `bytes` and hands each event to `handle`, in order.
///
/// Wraps `yaml_parser_initialize`, `yaml_parser_set_input_string`, `yaml_parser_parse` and
/// `yaml_event_delete`; the parser is deleted and every event freed on every path, including when
/// `handle` throws. The input is read as UTF-8 (libyaml rejects malformed UTF-8).
/// - Throws: ``KubernetesError/invalidYAML(line:column:reason:)`` with libyaml's problem and
///   position, or whatever `handle` throws.
func parseYAMLEvents(
    _ bytes: [UInt8], _ handle: (YAMLEvent) throws(KubernetesError) -> Void
) throws(KubernetesError) {
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    defer { parser.deallocate() }
    guard yaml_parser_initialize(parser) != 0 else {
        throw .invalidYAML(line: 1, column: 1, reason: "libyaml could not allocate a parser")
    }
    defer { yaml_parser_delete(parser) }

    let result: Result<Void, KubernetesError> = bytes.withUnsafeBufferPointer { buffer in
        // An empty stream has no events to report (and an empty array may have no storage).
        guard let start = buffer.baseAddress, !buffer.isEmpty else { return .success(()) }
        yaml_parser_set_input_string(parser, start, buffer.count)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        do throws(KubernetesError) {
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(parser, &event) != 0 else {
                    throw parserError(parser)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return .success(()) }
                if let converted = convert(event) { try handle(converted) }
            }
        } catch {
            return .failure(error)
        }
    }
    try result.get()
}

/// The parser's error as a ``KubernetesError``, with its 1-based position.
private func parserError(_ parser: UnsafeMutablePointer<yaml_parser_t>) -> KubernetesError {
    let state = parser.pointee
    let problem = state.problem.map { String(cString: $0) } ?? "malformed YAML"
    let context = state.context.map { String(cString: $0) }
    let reason = context.map { "\(problem) \($0)" } ?? problem
    return .invalidYAML(
        line: Int(state.problem_mark.line) + 1, column: Int(state.problem_mark.column) + 1, reason: reason)
}

/// Copies what the reader needs out of a libyaml event (before the event is deleted).
private func convert(_ event: yaml_event_t) -> YAMLEvent? {
    let mark = YAMLMark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
    switch event.type {
    case YAML_DOCUMENT_START_EVENT:
        return .documentStart
    case YAML_DOCUMENT_END_EVENT:
        return .documentEnd
    case YAML_SCALAR_EVENT:
        let scalar = event.data.scalar
        let value =
            scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self) }
            ?? ""
        return .scalar(
            value: value, tag: string(scalar.tag), anchor: string(scalar.anchor),
            plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, mark: mark)
    case YAML_ALIAS_EVENT:
        return .alias(anchor: string(event.data.alias.anchor) ?? "", mark: mark)
    case YAML_SEQUENCE_START_EVENT:
        return .sequenceStart(anchor: string(event.data.sequence_start.anchor), mark: mark)
    case YAML_SEQUENCE_END_EVENT:
        return .sequenceEnd
    case YAML_MAPPING_START_EVENT:
        return .mappingStart(anchor: string(event.data.mapping_start.anchor), mark: mark)
    case YAML_MAPPING_END_EVENT:
        return .mappingEnd
    default:  // STREAM-START (and NO-EVENT) carry nothing the reader needs
        return nil
    }
}

/// A NUL-terminated libyaml string (anchor, tag) as a `String`.
private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    pointer.map { String(cString: $0) }
}

// MARK: - Emitting

/// One event for libyaml's emitter.
enum YAMLOutputEvent {
    case documentStart
    case documentEnd
    /// A scalar; `quoted` forces double quotes, otherwise libyaml picks plain style when the text
    /// allows it syntactically and quotes it when it does not (leading `*`, `: `, ` #`…).
    case scalar(String, quoted: Bool)
    case sequenceStart
    case sequenceEnd
    case mappingStart
    case mappingEnd
}

/// Runs libyaml's emitter over `events` (wrapped in one stream) and returns the text.
///
/// Wraps `yaml_emitter_initialize`, `yaml_emitter_set_output` with a handler that appends to a
/// Swift buffer, the `yaml_*_event_initialize` functions and `yaml_emitter_emit`; the emitter is
/// deleted on every path. Indentation is 2, lines are never folded, non-ASCII text is written as
/// is, block style throughout (libyaml writes an empty mapping or sequence as `{}` or `[]`).
/// - Throws: ``KubernetesError/emitterFailed(reason:)`` with libyaml's problem.
func emitYAML(_ events: [YAMLOutputEvent]) throws(KubernetesError) -> String {
    let emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
    defer { emitter.deallocate() }
    guard yaml_emitter_initialize(emitter) != 0 else {
        throw .emitterFailed(reason: "libyaml could not allocate an emitter")
    }
    defer { yaml_emitter_delete(emitter) }

    let output = UnsafeMutablePointer<[UInt8]>.allocate(capacity: 1)
    output.initialize(to: [])
    defer {
        output.deinitialize(count: 1)
        output.deallocate()
    }

    yaml_emitter_set_output(
        emitter,
        { data, buffer, size in
            guard let data, let buffer else { return 1 }
            data.assumingMemoryBound(to: [UInt8].self).pointee.append(
                contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, output)
    yaml_emitter_set_unicode(emitter, 1)
    yaml_emitter_set_indent(emitter, 2)
    yaml_emitter_set_width(emitter, -1)  // never fold long lines (base64 data, long strings)

    func emit(_ initialize: (UnsafeMutablePointer<yaml_event_t>) -> Int32) throws(KubernetesError) {
        var event = yaml_event_t()
        guard initialize(&event) != 0 else {
            throw .emitterFailed(reason: "libyaml could not create an event")
        }
        // yaml_emitter_emit owns the event from here on, on success and on failure.
        guard yaml_emitter_emit(emitter, &event) != 0 else {
            throw .emitterFailed(reason: emitter.pointee.problem.map { String(cString: $0) } ?? "unknown emitter error")
        }
    }

    try emit { yaml_stream_start_event_initialize($0, YAML_UTF8_ENCODING) }
    for event in events {
        switch event {
        case .documentStart:
            try emit { yaml_document_start_event_initialize($0, nil, nil, nil, 1) }
        case .documentEnd:
            try emit { yaml_document_end_event_initialize($0, 1) }
        case .scalar(let text, let quoted):
            let style = quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE
            var bytes = Array(text.utf8)
            let count = Int32(clamping: bytes.count)
            try emit { event in
                bytes.withUnsafeMutableBufferPointer { buffer in
                    // libyaml copies the value; a pointer is needed even for an empty string.
                    var empty: yaml_char_t = 0
                    return withUnsafeMutablePointer(to: &empty) { fallback in
                        yaml_scalar_event_initialize(
                            event, nil, nil, buffer.baseAddress ?? fallback, count, 1, 1, style)
                    }
                }
            }
        case .sequenceStart:
            try emit { yaml_sequence_start_event_initialize($0, nil, nil, 1, YAML_BLOCK_SEQUENCE_STYLE) }
        case .sequenceEnd:
            try emit { yaml_sequence_end_event_initialize($0) }
        case .mappingStart:
            try emit { yaml_mapping_start_event_initialize($0, nil, nil, 1, YAML_BLOCK_MAPPING_STYLE) }
        case .mappingEnd:
            try emit { yaml_mapping_end_event_initialize($0) }
        }
    }
    try emit { yaml_stream_end_event_initialize($0) }
    guard yaml_emitter_flush(emitter) != 0 else {
        throw .emitterFailed(reason: emitter.pointee.problem.map { String(cString: $0) } ?? "could not flush")
    }
    return String(decoding: output.pointee, as: UTF8.self)
}
