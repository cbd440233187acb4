// The umbrella module: `import Fovea` brings the whole stack.
@_exported import FoveaKernels
@_exported import FoveaTensor
@_exported import FoveaAutograd
@_exported import FoveaLayers
@_exported import FoveaTrain
@_exported import FoveaModels
