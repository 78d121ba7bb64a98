extension Theme {
    /// The `heat` role's foreground, for the attention map blended over the face (a theme using
    /// the terminal's default gets the built-in one).
    public static func heatColor(_ theme: Theme) -> RGB {
        if case let .rgb(c) = theme[.heat].foreground { return c }
        return builtinHeat
    }

    /// The built-in dark theme's heat colour.
    public static var builtinHeat: RGB {
        if case let .rgb(c) = BuiltinTheme.dark[.heat].foreground { return c }
        return RGB(255, 90, 31)
    }
}
