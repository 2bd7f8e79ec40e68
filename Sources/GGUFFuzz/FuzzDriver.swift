#if FUZZING
/// With -sanitize=fuzzer -DFUZZING: SwiftPM links the executable's entry as `GGUFFuzz_main` (and defines
/// `main` as it), so libFuzzer's own main is not pulled in; start libFuzzer through LLVMFuzzerRunDriver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("GGUFFuzz_main")
func ggufFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var c = argc
    var v = argv
    return LLVMFuzzerRunDriver(&c, &v) { data, size in LLVMFuzzerTestOneInput(data, size) }
}
#endif
