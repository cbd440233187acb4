// The umbrella module: `import Fovea` brings the whole stack except the raw kernels
// (`import FoveaKernels` for those: their namespaces share names with the layers, e.g. `Conv2d`).
@_exported import FoveaTensor
@_exported import FoveaAutograd
@_exported import FoveaLayers
@_exported import FoveaTrain
@_exported import FoveaModels
@_exported import FoveaData
