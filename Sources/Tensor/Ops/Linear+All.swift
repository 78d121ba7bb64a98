extension Linear {
    /// Every Linear a model value holds, found by reflection so that a module added later cannot be
    /// left out of checks over all of them. Objects are visited once (weight owners may share storage).
    public static func all(in model: Any) -> [Linear] {
        var found: [Linear] = []
        var visited = Set<ObjectIdentifier>()
        func walk(_ value: Any) {
            if let linear = value as? Linear { found.append(linear); return }
            if value is TensorView || value is FloatBuffer { return }  // data, not modules
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .class {
                let id = ObjectIdentifier(value as AnyObject)
                guard visited.insert(id).inserted else { return }
            }
            for child in mirror.children { walk(child.value) }
            var superclass = mirror.superclassMirror
            while let s = superclass { for child in s.children { walk(child.value) }; superclass = s.superclassMirror }
        }
        walk(model)
        return found
    }
}
