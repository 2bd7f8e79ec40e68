import Foundation
import ModelInspector

/// The integration point with ModelInspector: the `model` subtree of the evidence for a file.
public enum ModelBridge {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// An `inspect --format json` document given directly, or the inspection of a GGUF file.
    public static func model(at url: URL) throws -> JSONValue {
        if let h = try? FileHandle(forReadingFrom: url) {
            let head = (try? h.read(upToCount: 1)) ?? Data()
            try? h.close()
            if head == Data("{".utf8) {
                do { return try JSONParser.parse(Data(contentsOf: url)).value }
                catch let e as JSONSyntaxError { throw Failure(description: "\(url.path):\(e.line): \(e.message)") }
            }
        }
        if let hook = DoctorHooks.inspectModel { return try hook(url) }
        let inspection: ModelInspection
        do { inspection = try ModelInspector.inspect(path: url.path) } catch {
            throw Failure(description: "\(url.path): \(error)")
        }
        do { return try JSONParser.parse(try inspection.jsonString()).value } catch {
            throw Failure(description: "\(url.path): inspection did not encode: \(error)")
        }
    }
}
