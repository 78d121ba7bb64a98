import Foundation
import XCTest
@testable import Study

final class StatisticsTests: XCTestCase {
    /// Printed t tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2) to their 3 decimals, and scipy 1.17
    /// `stats.t.ppf` to 1e-9 where we have its full digits.
    func testStudentTQuantilesMatchTables() {
        let table: [(Double, Double, Double)] = [
            // (df, p = 0.975, p = 0.995)
            (1, 12.706, 63.657), (2, 4.303, 9.925), (3, 3.182, 5.841), (5, 2.571, 4.032),
            (10, 2.228, 3.169), (30, 2.042, 2.750), (100, 1.984, 2.626),
        ]
        for (df, t975, t995) in table {
            XCTAssertEqual(StudentT.quantile(probability: 0.975, degreesOfFreedom: df), t975, accuracy: 5e-4)
            XCTAssertEqual(StudentT.quantile(probability: 0.995, degreesOfFreedom: df), t995, accuracy: 5e-4)
        }
        let scipy: [(Double, Double)] = [
            (1, 12.706204736174694), (2, 4.302652729749462), (5, 2.5705818356363146),
            (30, 2.0422724563012378), (2.5, 3.5746548420036817),
        ]
        for (df, value) in scipy {
            XCTAssertEqual(StudentT.quantile(probability: 0.975, degreesOfFreedom: df), value, accuracy: 1e-9)
        }
        // Closed forms: df 1 is Cauchy, t = tan(pi (p - 1/2)); df 2 has t = (2p - 1) sqrt(2 / (4p(1-p))).
        for p in [0.6, 0.9, 0.975, 0.999] {
            XCTAssertEqual(StudentT.quantile(probability: p, degreesOfFreedom: 1), tan(.pi * (p - 0.5)),
                           accuracy: 1e-9 * max(1, tan(.pi * (p - 0.5))))
            XCTAssertEqual(StudentT.quantile(probability: p, degreesOfFreedom: 2),
                           (2 * p - 1) * (2 / (4 * p * (1 - p))).squareRoot(), accuracy: 1e-9)
        }
        XCTAssertEqual(StudentT.quantile(probability: 0.025, degreesOfFreedom: 10), -2.228, accuracy: 5e-4)
        // Large df approaches the normal 1.95996.
        XCTAssertEqual(StudentT.quantile(probability: 0.975, degreesOfFreedom: 1e6), 1.95996, accuracy: 1e-4)
        // scipy stats.t.cdf(1.3, df)
        XCTAssertEqual(StudentT.cdf(1.3, degreesOfFreedom: 3), 0.8577662456360515, accuracy: 1e-12)
        XCTAssertEqual(StudentT.cdf(-1.3, degreesOfFreedom: 10), 1 - 0.8886170913965777, accuracy: 1e-12)
    }

    func testMeanIntervalByHand() throws {
        // mean 55/7, s^2 = 1.80952..., t(0.975, 6) = 2.446912; scipy gives [6.61305384, 9.10123187].
        let interval = try XCTUnwrap(MeanInterval.of([9, 7, 8, 6, 10, 7, 8]))
        XCTAssertEqual(interval.count, 7)
        XCTAssertEqual(interval.mean, 55.0 / 7, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(interval.lower), 6.6130538423572505, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(interval.upper), 9.101231871928462, accuracy: 1e-9)

        XCTAssertNil(MeanInterval.of([]))
        let single = try XCTUnwrap(MeanInterval.of([4]))
        XCTAssertEqual(single.mean, 4)
        XCTAssertNil(single.lower)
        let constant = try XCTUnwrap(MeanInterval.of([5, 5, 5]))
        XCTAssertEqual(constant.lower, 5)
        XCTAssertEqual(constant.upper, 5)
    }

    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", Annenberg School for
    /// Communication Departmental Papers 43, section C: 4 observers x 12 units with missing values.
    /// The paper gives nominal alpha = 0.743 and interval alpha = 0.849; the `krippendorff` PyPI package
    /// (0.8.x, an independent implementation) gives 0.743421052631579 and 0.8491071428571428.
    func testPublishedKrippendorffExample() throws {
        let observers: [[Double?]] = [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
            [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
        ]
        let units = (0..<12).map { unit in observers.compactMap { $0[unit] } }
        let interval = try XCTUnwrap(KrippendorffAlpha.compute(units: units, metric: .interval))
        let nominal = try XCTUnwrap(KrippendorffAlpha.compute(units: units, metric: .nominal))
        XCTAssertEqual(interval, 0.849, accuracy: 5e-4)
        XCTAssertEqual(nominal, 0.743, accuracy: 5e-4)
        XCTAssertEqual(interval, 0.8491071428571428, accuracy: 1e-12)
        XCTAssertEqual(nominal, 0.743421052631579, accuracy: 1e-12)
    }

    /// A rating-shaped case (3 raters x 6 units on 1-10, gaps) checked against the `krippendorff`
    /// PyPI package: interval 0.9180602006688963, nominal 0.2142857142857142.
    func testKrippendorffAgainstPythonPackage() throws {
        let raters: [[Double?]] = [[7, 8, nil, 3, 10, 5], [6, 8, 9, 4, nil, 5], [nil, 7, 9, 2, 9, 6]]
        let units = (0..<6).map { unit in raters.compactMap { $0[unit] } }
        XCTAssertEqual(try XCTUnwrap(KrippendorffAlpha.compute(units: units, metric: .interval)),
                       0.9180602006688963, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(KrippendorffAlpha.compute(units: units, metric: .nominal)),
                       0.2142857142857142, accuracy: 1e-12)
    }

    func testKrippendorffEdgeCases() {
        XCTAssertNil(KrippendorffAlpha.compute(units: [], metric: .interval))
        XCTAssertNil(KrippendorffAlpha.compute(units: [[3], [4]], metric: .interval), "no pairs")
        XCTAssertNil(KrippendorffAlpha.compute(units: [[3, 3], [3, 3]], metric: .interval), "no variation")
        XCTAssertEqual(KrippendorffAlpha.compute(units: [[1, 1], [5, 5], [9, 9]], metric: .interval), 1)
        // Systematic disagreement gives a negative alpha.
        let opposite = KrippendorffAlpha.compute(units: [[1, 9], [9, 1], [1, 9]], metric: .interval)
        XCTAssertLessThan(opposite ?? 0, 0)
    }
}
