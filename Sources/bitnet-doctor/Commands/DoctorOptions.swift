import ArgumentParser
import Doctor
import Foundation
import ModelInspector

/// Inputs shared by check, report and bundle.
struct DoctorInputOptions: ParsableArguments {
    @Option(name: .long, help: "GGUF model to inspect (or an `inspect --format json` document).")
    var model: String?

    @Option(name: .long, help: "Receipt of a run to diagnose: ours, BitNet.rs ci/inference.json, or llama-bench JSON/JSONL (repeatable).")
    var receipt: [String] = []

    @Option(name: .long, help: "Machine root to read facts from (default /).")
    var root: String?

    @Option(name: .customLong("env-file"), help: "Environment (KEY=VALUE lines) to diagnose instead of this process's.")
    var envFile: String?

    @Flag(name: .customLong("no-run"), help: "Do not run the engine; diagnose facts, model and receipts only.")
    var noRun = false

    @Option(name: .long, help: "Directory of additional rule files (repeatable).")
    var rules: [String] = []

    func loadRules() throws -> RuleSet {
        let set = RuleSet.standard(userDirectories: rules.map { URL(fileURLWithPath: $0) })
        if !set.issues.isEmpty {
            for i in set.issues { Log.error(i.description) }
            throw ExitCode(2)
        }
        return set
    }

    /// Collects facts, inspects the model, runs (when possible) and reads receipts.
    func makeInputs() async throws -> CheckInputs {
        var inputs = CheckInputs()
        let rootURL = URL(fileURLWithPath: root ?? "/")
        guard FileManager.default.fileExists(atPath: rootURL.path) else { throw ValidationError("--root \(rootURL.path): no such directory") }
        var env: [String: String]?
        if let envFile {
            guard let text = try? String(contentsOfFile: envFile, encoding: .utf8) else { throw ValidationError("--env-file \(envFile): cannot read") }
            env = EnvFile.parse(text)
        }
        Log.progress("collecting facts from \(rootURL.path)…")
        inputs.facts = FactsBridge.collect(root: rootURL, environment: env)
        inputs.environment = env ?? (rootURL.path == "/" ? ProcessInfo.processInfo.environment : [:])
        inputs.environmentInFacts = true
        inputs.root = rootURL
        let willRun = !noRun && rootURL.standardizedFileURL.path == "/" && DoctorHooks.runProvider != nil
        // The embedded default: with no --model, the run and the inspection use the cached synthetic model.
        let model = try model ?? (willRun ? SyntheticModelCache.defaultModel().path : nil)
        if let model {
            Log.progress("inspecting \(model)…")
            do { inputs.model = try ModelBridge.model(at: URL(fileURLWithPath: model)) } catch {
                throw ValidationError("--model: \(error)")
            }
        }
        if noRun {
            inputs.notes.append("No run (--no-run): diagnosed from facts\(receipt.isEmpty ? "" : " and receipts") only.")
        } else if rootURL.standardizedFileURL.path != "/" {
            inputs.notes.append("No run: facts come from another machine (--root), and a run here would not describe it.")
        } else if let model, model.hasSuffix(".json") {
            inputs.notes.append("No run: --model is an inspection document, not a GGUF file to run.")
        } else if let provider = DoctorHooks.runProvider {
            Log.progress("running a short deterministic generation (16 tokens)…")
            let outcome = try await provider.run(modelPath: model, model: inputs.model, root: rootURL)
            inputs.receipts.append(("bitnet-doctor run", outcome.receipt))
            inputs.run = outcome.run
        } else {
            inputs.notes.append("No run: this build has no engine connected, so the check behaves as --no-run.")
        }
        do { try inputs.addReceipts(receipt.map { URL(fileURLWithPath: $0) }) } catch {
            throw ValidationError(error.description)
        }
        return inputs
    }
}

enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case warning, error, none
    var severity: Severity? { self == .none ? nil : Severity(rawValue: rawValue) }
}

extension OutputFormat: ExpressibleByArgument {}
