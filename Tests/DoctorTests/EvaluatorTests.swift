import Foundation
import Testing
@testable import Doctor

@Suite struct EvaluatorTests {
    let evidence = Evidence(document: [
        "facts": [
            "cpu": ["flags": ["value": ["avx2", "fma"], "status": "ok"], "model_name": ["status": "not_available", "reason": "x"]],
            "cores": ["usable": ["value": 8, "status": "ok"]],
        ],
        "receipt": ["threads": 12, "engine": "BitNet.rs", "kernels": ["i2s_qk256_scalar"], "gone": .null],
        "pci": ["gpus": [["vendor": "NVIDIA"], ["vendor": "AMD"]]],
    ])

    func holds(_ json: String) throws -> Bool {
        let doc = try JSONParser.parse(json)
        var p = RuleParser(file: "t", doc: doc, registry: FactRegistry(types: [
            "facts.cpu.flags": .array, "facts.cpu.model_name": .string, "facts.cores.usable": .number,
            "receipt.threads": .number, "receipt.engine": .string, "receipt.kernels": .array, "receipt.gone": .any,
            "pci.gpus": .array]))
        let parsed = p.condition(doc.value, "$", element: nil)
        let c = try #require(parsed, "\(p.issues)")
        return Evaluator(evidence: evidence).holds(c)
    }

    @Test func comparisonsAndAbsence() throws {
        #expect(try holds(#"{"op": "gt", "path": "receipt.threads", "value": {"path": "facts.cores.usable"}}"#))
        #expect(try holds(#"{"op": "eq", "path": "receipt.engine", "value": "bitnet.rs"}"#))
        #expect(try holds(#"{"op": "contains", "path": "facts.cpu.flags", "value": "fma"}"#))
        #expect(try holds(#"{"op": "matches", "path": "receipt.kernels", "value": "qk256"}"#))
        #expect(try holds(#"{"op": "in", "path": "receipt.threads", "value": [4, 12]}"#))
        // A fact that is not_available is absent: comparisons are false, exists is false, not(...) is true.
        #expect(try !holds(#"{"op": "eq", "path": "facts.cpu.model_name", "value": "x"}"#))
        #expect(try !holds(#"{"op": "ne", "path": "facts.cpu.model_name", "value": "x"}"#))
        #expect(try !holds(#"{"op": "exists", "path": "facts.cpu.model_name"}"#))
        #expect(try holds(#"{"not": {"op": "exists", "path": "receipt.gone"}}"#), "\(evidence.document.serialized())")
    }

    @Test func arithmeticAndQuantifiers() throws {
        // 12 > 8 * 1.25 = 10; 12 < (8 + 8) / 1.25 = 12.8; max(8, 12) - 12 == 0.
        #expect(try holds(#"{"op": "gt", "path": "receipt.threads", "value": {"mul": [{"path": "facts.cores.usable"}, 1.25]}}"#))
        #expect(try holds(#"{"op": "lt", "path": "receipt.threads", "value": {"div": [{"add": [{"path": "facts.cores.usable"}, 8]}, 1.25]}}"#))
        #expect(try holds(#"{"op": "eq", "expr": {"sub": [{"max": [{"path": "facts.cores.usable"}, 12]}, 12]}, "value": 0}"#))
        #expect(try !holds(#"{"op": "gt", "path": "receipt.threads", "value": {"div": [1, 0]}}"#))
        #expect(try holds(#"{"op": "eq", "expr": {"length": {"path": "receipt.kernels"}}, "value": 1}"#))
        #expect(try holds(#"{"some": {"path": "pci.gpus", "where": {"op": "eq", "path": "@.vendor", "value": "nvidia"}}}"#))
        #expect(try !holds(#"{"every": {"path": "pci.gpus", "where": {"op": "eq", "path": "@.vendor", "value": "nvidia"}}}"#))
        #expect(try holds(#"{"any": [{"op": "eq", "path": "receipt.threads", "value": 1}, {"all": [{"op": "ge", "path": "receipt.threads", "value": 12}, {"op": "le", "path": "receipt.threads", "value": 12}]}]}"#))
    }

    @Test func templatesInterpolateFacts() {
        let s = Template.render("{{receipt.engine}} on {{facts.cores.usable}} cores ({{facts.cpu.flags}}), {{facts.cpu.model_name}}", evidence.resolve)
        #expect(s == "BitNet.rs on 8 cores (avx2, fma), n/a")
    }
}

/// `derived.scalar_kernels`: only the fallback paths of the receipt's kernel list, so the `scalar-kernel` message names
/// them and not every kernel that ran; an op with one C implementation is not a fallback.
@Suite struct ScalarKernelsDerivedTests {
    @Test func onlyFallbackPathsAreNamed() {
        let e = Evidence(document: ["receipt": ["engine": "bitnet-doctor", "kernels": [
            "i2s_i8_gemv.avxvnni", "graph_rmsnorm.c", "quantize_i8_s.scalar", "i2_s_i8_s_swift", "q4_generic_ref",
            "f16_gemv.avx2"]]])
        #expect(Derived.scalarKernels(e) == ["quantize_i8_s.scalar", "i2_s_i8_s_swift", "q4_generic_ref"])
        let simd = Evidence(document: ["receipt": ["kernels": ["i2s_i8_gemv.avxvnni", "graph_rmsnorm.c", "graph_relu2_mul.c"]]])
        #expect(Derived.scalarKernels(simd).isEmpty)
    }
}
