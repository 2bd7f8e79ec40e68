import Foundation

/// Output formats of `check` (and `gate`, which adds prometheus).
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, json, md, sarif, junit, prometheus
}

/// Renders a diagnosis in a machine or human format.
public enum Renderer {
    public static func render(_ d: Diagnosis, format: OutputFormat, failOn: Severity = .error,
                              verbose: Bool = false, color: Bool = false) -> String {
        switch format {
        case .text: return TextOutput.render(d, verbose: verbose, color: color)
        case .json: return JSONOutput.document(d, failOn: failOn).serialized() + "\n"
        case .md: return MarkdownOutput.render(d)
        case .sarif: return SARIFOutput.document(d).serialized() + "\n"
        case .junit: return JUnitOutput.render(d, failOn: failOn)
        case .prometheus: return PrometheusOutput.render(d)
        }
    }

    /// Colour only on a terminal and never with NO_COLOR (https://no-color.org).
    public static func useColor(isTTY: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        isTTY && (environment["NO_COLOR"].map { $0.isEmpty } ?? true) && environment["TERM"] != "dumb"
    }
}
