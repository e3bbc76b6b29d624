//! The few dense linear-algebra kernels the samplers need, on small row-major
//! matrices: a linear solve, the eigen-decomposition of a symmetric matrix, and the
//! Cholesky factorisation with its triangular solves.
//!
//! Hand-written rather than taken from a crate: the matrices are at most a few
//! hundred wide, and a general linear-algebra crate would add more to the wasm
//! bundle than the rest of a sampler. Only `+ - * /` and `sqrt` are used, so the
//! results are the same bit for bit on every target.

/// A square matrix, row-major.
pub type Matrix = Vec<Vec<f64>>;

/// Defines `pub fn $name`, which runs `$body` compiled for AVX2 on x86-64 CPUs that
/// have it (four lanes where the baseline has two) and as is elsewhere. Rust never
/// fuses a multiply and an add and LLVM never reorders float sums, so both copies
/// give the same bits: the choice is speed only. (An AVX-512 copy measured no faster.)
macro_rules! avx2_dispatch {
    ($(#[$doc:meta])* $name:ident / $avx2:ident = $body:ident($($arg:ident: $ty:ty),*) -> $ret:ty) => {
        $(#[$doc])*
        pub fn $name($($arg: $ty),*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has AVX2, checked just above.
                return unsafe { $avx2($($arg),*) };
            }
            $body($($arg),*)
        }

        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2")]
        unsafe fn $avx2($($arg: $ty),*) -> $ret {
            $body($($arg),*)
        }
    };
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting. `None` when `a` is
/// singular (a pivot below `1e-12` times the largest entry) or not finite. O(n³).
pub fn solve(mut a: Matrix, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    if a.iter().flatten().any(|v| !v.is_finite()) {
        return None;
    }
    let scale = a.iter().flatten().fold(0.0f64, |s, v| s.max(v.abs()));
    if scale == 0.0 {
        return None;
    }
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() <= scale * 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (upper, lower) = a.split_at_mut(col + 1);
        let pivot_row = &upper[col];
        for (offset, row) in lower.iter_mut().enumerate() {
            let f = row[col] / pivot_row[col];
            for (x, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[col + 1 + offset] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

/// Eigenvalues and eigenvectors of the symmetric matrix `a`, by cyclic Jacobi
/// rotations: `(values, vectors)` with `vectors[i][k]` the i-th coordinate of the k-th
/// eigenvector, so `a = V diag(values) Vᵀ`. O(n³) per sweep; a few sweeps converge.
pub fn symmetric_eigen(a: &Matrix) -> (Vec<f64>, Matrix) {
    let n = a.len();
    let mut m = a.clone();
    let mut v: Matrix = (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[i][j] * m[i][j])
            .sum();
        let diag: f64 = (0..n).map(|i| m[i][i] * m[i][i]).sum();
        if off <= 1e-30 * diag.max(f64::MIN_POSITIVE) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if m[p][q] == 0.0 {
                    continue;
                }
                // The rotation that zeroes m[p][q] (Golub and Van Loan, 8.5.2).
                let theta = (m[q][q] - m[p][p]) / (2.0 * m[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in m.iter_mut().chain(v.iter_mut()) {
                    let (xp, xq) = (row[p], row[q]);
                    row[p] = c * xp - s * xq;
                    row[q] = s * xp + c * xq;
                }
                let (top, bottom) = m.split_at_mut(q);
                for (xp, xq) in top[p].iter_mut().zip(bottom[0].iter_mut()) {
                    let (a, b) = (*xp, *xq);
                    *xp = c * a - s * b;
                    *xq = s * a + c * b;
                }
            }
        }
    }
    ((0..n).map(|i| m[i][i]).collect(), v)
}

/// `Σ a_i b_i` with four running sums (an explicit order, so every target agrees,
/// and independent additions a CPU can overlap).
#[inline(always)]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0; 4];
    let chunks = n / 4;
    for c in 0..chunks {
        let k = 4 * c;
        acc[0] += a[k] * b[k];
        acc[1] += a[k + 1] * b[k + 1];
        acc[2] += a[k + 2] * b[k + 2];
        acc[3] += a[k + 3] * b[k + 3];
    }
    let mut tail = 0.0;
    for k in 4 * chunks..n {
        tail += a[k] * b[k];
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// [`dot`] of `a` with each of four vectors at once, each sum the same bit for bit:
/// `a` is read once for the four, and sixteen independent running sums keep the CPU
/// busy. Every `bs[v]` must be at least as long as `a`.
#[inline(always)]
pub fn dot4(a: &[f64], bs: [&[f64]; 4]) -> [f64; 4] {
    let n = a.len();
    let bs = bs.map(|b| &b[..n]);
    let mut acc = [[0.0; 4]; 4];
    let chunks = n / 4;
    for c in 0..chunks {
        let k = 4 * c;
        let x = [a[k], a[k + 1], a[k + 2], a[k + 3]];
        for (acc, b) in acc.iter_mut().zip(&bs) {
            acc[0] += x[0] * b[k];
            acc[1] += x[1] * b[k + 1];
            acc[2] += x[2] * b[k + 2];
            acc[3] += x[3] * b[k + 3];
        }
    }
    let mut out = [0.0; 4];
    for ((o, acc), b) in out.iter_mut().zip(&acc).zip(&bs) {
        let mut tail = 0.0;
        for k in 4 * chunks..n {
            tail += a[k] * b[k];
        }
        *o = (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail;
    }
    out
}

avx2_dispatch! {
    /// The lower-triangular Cholesky factor `L` of the symmetric positive-definite `a`
    /// (`a = L Lᵀ`), or `None` when a pivot is not positive. O(n³ / 3).
    cholesky / cholesky_avx2 = cholesky_portable(a: &Matrix) -> Option<Matrix>
}

#[inline(always)]
fn cholesky_portable(a: &Matrix) -> Option<Matrix> {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    // Column by column: l[i][j] = (a[i][j] - l[i][..j] · l[j][..j]) / l[j][j], four
    // rows i at a time against the shared l[j][..j] (each dot as `dot`'s, bit for bit).
    for j in 0..n {
        let d = a[j][j] - dot(&l[j][..j], &l[j][..j]);
        if !(d > 0.0 && d.is_finite()) {
            return None;
        }
        let diag = d.sqrt();
        l[j][j] = diag;
        let (upper, lower) = l.split_at_mut(j + 1);
        let pivot = &upper[j][..j];
        let mut rows = lower.chunks_exact_mut(4);
        for (c, block) in rows.by_ref().enumerate() {
            let i = j + 1 + 4 * c;
            let s = dot4(pivot, [&block[0], &block[1], &block[2], &block[3]]);
            for (r, row) in block.iter_mut().enumerate() {
                row[j] = (a[i + r][j] - s[r]) / diag;
            }
        }
        let done = (n - j - 1) / 4 * 4;
        for (r, row) in rows.into_remainder().iter_mut().enumerate() {
            row[j] = (a[j + 1 + done + r][j] - dot(&row[..j], pivot)) / diag;
        }
    }
    Some(l)
}

/// Solves `L x = b` for lower-triangular `L`. O(n²).
pub fn solve_lower(l: &Matrix, b: &[f64]) -> Vec<f64> {
    let mut x = b.to_vec();
    for i in 0..x.len() {
        let s: f64 = (0..i).map(|k| l[i][k] * x[k]).sum();
        x[i] = (x[i] - s) / l[i][i];
    }
    x
}

/// Solves `Lᵀ x = b` for lower-triangular `L`. O(n²).
pub fn solve_lower_transposed(l: &Matrix, b: &[f64]) -> Vec<f64> {
    let n = b.len();
    let mut x = b.to_vec();
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| l[k][i] * x[k]).sum();
        x[i] = (x[i] - s) / l[i][i];
    }
    x
}

avx2_dispatch! {
    /// The inverse of a lower-triangular `L` (itself lower triangular), row by row so
    /// every access runs along a row. O(n³ / 6).
    lower_inverse / lower_inverse_avx2 = lower_inverse_portable(l: &Matrix) -> Matrix
}

#[inline(always)]
fn lower_inverse_portable(l: &Matrix) -> Matrix {
    let n = l.len();
    let mut inv: Matrix = Vec::with_capacity(n);
    for i in 0..n {
        // Row i of L X = I: X[i] = (e_i - Σ_{k<i} L[i][k] X[k]) / L[i][i].
        let mut row = vec![0.0; n];
        for (k, prev) in inv.iter().enumerate() {
            let f = l[i][k];
            if f != 0.0 {
                for (r, p) in row[..=k].iter_mut().zip(&prev[..=k]) {
                    *r -= f * p;
                }
            }
        }
        row[i] = 1.0;
        let d = l[i][i];
        for r in row[..=i].iter_mut() {
            *r /= d;
        }
        inv.push(row);
    }
    inv
}

/// The transpose of a square matrix. O(n²).
pub fn transpose(m: &Matrix) -> Matrix {
    (0..m.len())
        .map(|i| m.iter().map(|row| row[i]).collect())
        .collect()
}

avx2_dispatch! {
    /// `(L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹` from `L⁻¹` (full rows, zeros above the diagonal, as
    /// [`lower_inverse`] gives), symmetric. O(n³ / 6).
    inverse_from_lower_inverse / inverse_from_lower_inverse_avx2 =
        inverse_from_lower_inverse_portable(linv: &Matrix) -> Matrix
}

#[inline(always)]
fn inverse_from_lower_inverse_portable(linv: &Matrix) -> Matrix {
    let n = linv.len();
    // U = (L⁻¹)ᵀ, upper triangular: out[i][j] = Σ_{k ≥ i} U[i][k] U[j][k] for j ≤ i, a
    // dot of two rows, four j at a time against the shared U[i][i..].
    let u = transpose(linv);
    let mut out = vec![vec![0.0; n]; n];
    for i in 0..n {
        let a = &u[i][i..];
        let mut j = 0;
        while j + 4 <= i + 1 {
            let s = dot4(
                a,
                [&u[j][i..], &u[j + 1][i..], &u[j + 2][i..], &u[j + 3][i..]],
            );
            out[i][j..j + 4].copy_from_slice(&s);
            j += 4;
        }
        for j in j..=i {
            out[i][j] = dot(a, &u[j][i..]);
        }
        let (upper, lower) = out.split_at_mut(i);
        for (row, v) in upper.iter_mut().zip(&lower[0][..i]) {
            row[i] = *v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatched_copies_match_the_portable_code_bit_for_bit() {
        let n = 37;
        let b: Matrix = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| ((i * 31 + j * 17) % 23) as f64 / 7.0 - 1.5)
                    .collect()
            })
            .collect();
        // B Bᵀ + n I: symmetric positive definite.
        let a: Matrix = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| dot(&b[i], &b[j]) + if i == j { n as f64 } else { 0.0 })
                    .collect()
            })
            .collect();
        let bits = |m: &Matrix| -> Vec<u64> { m.iter().flatten().map(|v| v.to_bits()).collect() };
        let l = cholesky(&a).unwrap();
        assert_eq!(bits(&l), bits(&cholesky_portable(&a).unwrap()));
        let linv = lower_inverse(&l);
        assert_eq!(bits(&linv), bits(&lower_inverse_portable(&l)));
        assert_eq!(
            bits(&inverse_from_lower_inverse(&linv)),
            bits(&inverse_from_lower_inverse_portable(&linv))
        );
    }

    #[test]
    fn dot4_is_four_dots_bit_for_bit() {
        for n in 0..11 {
            let a: Vec<f64> = (0..n).map(|i| 0.1 + i as f64 / 3.0).collect();
            let bs: Vec<Vec<f64>> = (0..4)
                .map(|v| {
                    (0..n + v)
                        .map(|i| (i * (v + 2)) as f64 / 7.0 - 0.5)
                        .collect()
                })
                .collect();
            let got = dot4(&a, [&bs[0], &bs[1], &bs[2], &bs[3]]);
            for (g, b) in got.iter().zip(&bs) {
                assert_eq!(g.to_bits(), dot(&a, &b[..n]).to_bits(), "n = {n}");
            }
        }
    }

    #[test]
    fn solve_finds_the_solution_and_rejects_singular_systems() {
        let x = solve(vec![vec![2.0, 1.0], vec![1.0, 3.0]], vec![3.0, 5.0]).unwrap();
        assert!(
            (x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12,
            "{x:?}"
        );
        assert!(solve(vec![vec![1.0, 2.0], vec![2.0, 4.0]], vec![1.0, 2.0]).is_none());
        assert!(solve(vec![vec![f64::NAN]], vec![1.0]).is_none());
    }

    #[test]
    fn cholesky_solves_a_positive_definite_system() {
        let a = vec![vec![4.0, 2.0], vec![2.0, 3.0]];
        let l = cholesky(&a).unwrap();
        let x = solve_lower_transposed(&l, &solve_lower(&l, &[2.0, 1.0]));
        assert!((4.0 * x[0] + 2.0 * x[1] - 2.0).abs() < 1e-12);
        assert!((2.0 * x[0] + 3.0 * x[1] - 1.0).abs() < 1e-12);
        assert!(cholesky(&vec![vec![1.0, 2.0], vec![2.0, 1.0]]).is_none());
        let inv = inverse_from_lower_inverse(&lower_inverse(&l));
        assert!((inv[0][0] - 0.375).abs() < 1e-12 && (inv[0][1] + 0.25).abs() < 1e-12);
        assert!((inv[1][1] - 0.5).abs() < 1e-12 && inv[1][0] == inv[0][1]);
    }

    #[test]
    fn eigen_decomposition_rebuilds_the_matrix() {
        let a = vec![
            vec![4.0, 1.0, 0.5],
            vec![1.0, 3.0, 0.2],
            vec![0.5, 0.2, 1.0],
        ];
        let (values, v) = symmetric_eigen(&a);
        for i in 0..3 {
            for j in 0..3 {
                let rebuilt: f64 = (0..3).map(|k| v[i][k] * values[k] * v[j][k]).sum();
                assert!((rebuilt - a[i][j]).abs() < 1e-12, "{i},{j}");
            }
        }
        let trace: f64 = values.iter().sum();
        assert!((trace - 8.0).abs() < 1e-12);
    }
}
