import Foundation
import FoveaONNX
import FoveaONNXProto
import FoveaTestSupport
import XCTest

final class ONNXFileTests: XCTestCase {
    func testAModelSurvivesAWriteAndARead() throws {
        var model = Onnx_ModelProto()
        model.irVersion = 8
        model.producerName = "fovea-test"
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 17
        model.opsetImport = [opset]
        var node = Onnx_NodeProto()
        node.opType = "Relu"
        node.input = ["x"]
        node.output = ["y"]
        model.graph.node = [node]
        let url = try temporaryFolder().appendingPathComponent("relu.onnx")
        try ONNXFile.write(model, to: url)
        let read = try ONNXFile.readModel(at: url)
        XCTAssertEqual(read, model)
        XCTAssertEqual(read.graph.node.first?.opType, "Relu")
    }

    func testGarbageAndMissingFilesGetOneLineErrors() throws {
        let folder = try temporaryFolder()
        let garbage = folder.appendingPathComponent("garbage.onnx")
        try Data([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]).write(to: garbage)
        XCTAssertThrowsError(try ONNXFile.readModel(at: garbage)) { error in
            XCTAssertTrue("\(error)".contains("is not an ONNX model"), "\(error)")
        }
        XCTAssertThrowsError(try ONNXFile.readModel(at: folder.appendingPathComponent("absent.onnx"))) { error in
            XCTAssertTrue("\(error)".contains("no such file"), "\(error)")
        }
    }
}
