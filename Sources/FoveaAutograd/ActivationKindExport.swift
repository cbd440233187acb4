// `ActivationKind` appears in public signatures here (`activation(_:_:)`) and above (layers, models),
// so every module that imports FoveaAutograd, `import Fovea` included, exports it. Only this enum:
// the rest of FoveaKernels stays out (its namespaces share names with the layers, e.g. `Conv2d`).
@_exported import enum FoveaKernels.ActivationKind
