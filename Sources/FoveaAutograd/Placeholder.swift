// Reverse-mode autograd; see Variable.swift.
