import FoveaTensor

extension Safetensors {
    /// The element types Fovea reads, by their safetensors names. All become `Float` on reading.
    ///
    /// Other safetensors types (integers other than I64, BOOL, the 8-bit floats…) are refused with
    /// an error naming the tensor: converting them to weights would be a guess.
    public enum DType: String, CaseIterable, Sendable {
        /// IEEE single precision, copied as is.
        case f32 = "F32"
        /// IEEE double precision, rounded to the nearest `Float`.
        case f64 = "F64"
        /// IEEE half precision, exact in `Float`.
        case f16 = "F16"
        /// bfloat16 (the top half of a `Float`), exact in `Float`.
        case bf16 = "BF16"
        /// 64-bit signed integers (PyTorch's `num_batches_tracked`), rounded to the nearest `Float`.
        case i64 = "I64"

        /// Bytes per element.
        public var byteWidth: Int {
            switch self {
            case .f32: 4
            case .f64, .i64: 8
            case .f16, .bf16: 2
            }
        }

        /// "F32, F64, F16, BF16, I64", for error messages.
        static var supportedList: String { allCases.map(\.rawValue).joined(separator: ", ") }

        /// Converts `out.count` little-endian elements of this type from `raw` (exactly
        /// `out.count × byteWidth` bytes, any alignment) into `out`. One loop per type, so the
        /// type is decided once per tensor, not once per element.
        func decode(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Float>) {
            precondition(raw.count == out.count * byteWidth, "byte count checked by the header reader")
            switch self {
            case .f32:
                if Int(littleEndian: 1) == 1 {
                    if let source = raw.baseAddress, let target = out.baseAddress {
                        UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: raw.count)
                    }
                } else {
                    for i in out.indices { out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                }
            case .f64:
                for i in out.indices { out[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
            case .i64:
                for i in out.indices { out[i] = Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))) }
            case .bf16:
                for i in out.indices { out[i] = Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16) }
            case .f16:
                for i in out.indices { out[i] = DType.float(fromHalf: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
            }
        }

        /// The `Float` equal to IEEE half-precision bits `h` (every half is exact in `Float`;
        /// NaN payloads and the sign of zero are kept).
        @inline(__always)
        static func float(fromHalf h: UInt16) -> Float {
            let sign = UInt32(h & 0x8000) << 16
            let exponent = UInt32(h >> 10) & 0x1F
            let mantissa = UInt32(h & 0x3FF)
            if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13) }  // ±inf, NaN
            if exponent == 0 {
                // Zero or subnormal: mantissa × 2^-24, exact in Float.
                let magnitude = Float(mantissa) * 0x1p-24
                return sign == 0 ? magnitude : -magnitude
            }
            // Rebias the exponent from 15 to 127 and widen the mantissa from 10 to 23 bits.
            return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
        }
    }
}
