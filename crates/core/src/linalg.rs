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

pub(crate) use avx2_dispatch;

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

avx2_dispatch! {
    /// The lower-triangular Cholesky factor `L` of the symmetric positive-definite `a`
    /// (`a = L Lᵀ`), or `None` when a pivot is not positive. Only the diagonal and the
    /// upper triangle of `a` are read. O(n³ / 6).
    cholesky / cholesky_avx2 = cholesky_portable(a: &Matrix) -> Option<Matrix>
}

/// Rows per pass of the blocked kernels: two four-lane vectors.
const ROWS: usize = 8;

/// For each of the `out.len()` pivots `p`, `out[p][r] = Σ_k cols[k][first + r] ·
/// pivots[k][p]` over the rows `k` of `cols` and the [`ROWS`] entries from `first`,
/// each summed over ascending `k` from zero: a broadcast pivot times eight contiguous
/// entries, so every multiply-add runs in vector lanes and each load of `cols` serves
/// every pivot.
#[inline(always)]
fn panel_times<const P: usize>(
    cols: &[Vec<f64>],
    first: usize,
    pivots: &[[f64; P]],
) -> [[f64; ROWS]; P] {
    let mut acc = [[0.0; ROWS]; P];
    for (col, pivot) in cols.iter().zip(pivots) {
        let x: &[f64; ROWS] = col[first..first + ROWS].try_into().expect("eight");
        for (acc, p) in acc.iter_mut().zip(pivot) {
            for (a, x) in acc.iter_mut().zip(x) {
                *a += x * p;
            }
        }
    }
    acc
}

/// The indices `i0..i0 + 4`, the last valid one repeated past `n`.
fn quad_indices(i0: usize, n: usize) -> [usize; 4] {
    let at = |m: usize| (i0 + m).min(n - 1);
    [at(0), at(1), at(2), at(3)]
}

/// `v` at four indices.
#[inline(always)]
fn gather(v: &[f64], [a, b, c, d]: [usize; 4]) -> [f64; 4] {
    [v[a], v[b], v[c], v[d]]
}

#[inline(always)]
fn cholesky_portable(a: &Matrix) -> Option<Matrix> {
    let n = a.len();
    // The factor by columns: lt[k][i] = l[i][k], so a column's rows sit together.
    let mut lt = vec![vec![0.0; n]; n];
    // The panel's own terms of one column, per row below it.
    let mut own = vec![0.0; n];
    // Per panel: its pivots, and head[m][i - j0], row i's sum against pivot row j0 + m.
    let mut pivots: Vec<[f64; 4]> = Vec::with_capacity(n);
    let mut heads: [Vec<f64>; 4] = std::array::from_fn(|_| vec![0.0; n]);
    // l[i][j] = (a[j][i] - Σ_{k<j} l[i][k] l[j][k]) / l[j][j] (`a` symmetric, read
    // along rows), four columns j0..j0 + 4 at a time: first each row's sum over the
    // finished columns k < j0 in ascending order, eight rows against the panel's
    // four pivot rows per pass ([`panel_times`]); then, column by column, the sum over
    // the panel's own columns j0..j (in order, from zero) is added to it.
    for j0 in (0..n).step_by(4) {
        let width = 4.min(n - j0);
        let at = quad_indices(j0, n);
        pivots.clear();
        pivots.extend(lt[..j0].iter().map(|col| gather(col, at)));
        let mut head: [&mut [f64]; 4] = heads.each_mut().map(|h| &mut h[..n - j0]);
        let full = (n - j0) / ROWS * ROWS;
        for first in (0..full).step_by(ROWS) {
            let s = panel_times(&lt[..j0], j0 + first, &pivots);
            for (h, s) in head.iter_mut().zip(&s) {
                h[first..first + ROWS].copy_from_slice(s);
            }
        }
        for (m, h) in head.iter_mut().enumerate() {
            for (r, h) in h.iter_mut().enumerate().skip(full) {
                *h = lt[..j0]
                    .iter()
                    .zip(&pivots)
                    .fold(0.0, |s, (col, p)| s + col[j0 + r] * p[m]);
            }
        }
        for (m, head) in head.iter().enumerate().take(width) {
            let j = j0 + m;
            let d = a[j][j] - (head[m] + (j0..j).fold(0.0, |s, k| s + lt[k][j] * lt[k][j]));
            if !(d > 0.0 && d.is_finite()) {
                return None;
            }
            let diag = d.sqrt();
            // Column j of the factor, from row j + 1: the panel's earlier columns
            // (rows of `lt` before j) times their entries in row j.
            let (done, rest) = lt.split_at_mut(j);
            let column = &mut rest[0];
            column[j] = diag;
            column[j + 1..].copy_from_slice(&head[j + 1 - j0..]);
            let own = &mut own[..n - j - 1];
            own.fill(0.0);
            for col in &done[j0..] {
                let f = col[j];
                for (o, v) in own.iter_mut().zip(&col[j + 1..]) {
                    *o += v * f;
                }
            }
            for ((c, o), a) in column[j + 1..]
                .iter_mut()
                .zip(own.iter())
                .zip(&a[j][j + 1..])
            {
                *c = (a - (*c + o)) / diag;
            }
        }
    }
    Some(transpose(&lt))
}

/// Solves `L x = b` for lower-triangular `L`: row by row, each sum a [`dot`] along a
/// row of `L`. O(n²).
pub fn solve_lower(l: &Matrix, b: &[f64]) -> Vec<f64> {
    let mut x = b.to_vec();
    for i in 0..x.len() {
        x[i] = (x[i] - dot(&l[i][..i], &x[..i])) / l[i][i];
    }
    x
}

/// Solves `Lᵀ x = b` for lower-triangular `L`: from the last row up, each solved
/// entry taken off the rest along a row of `L` (`b[..i] -= x[i] L[i][..i]`), so every
/// access runs along a row. O(n²).
pub fn solve_lower_transposed(l: &Matrix, b: &[f64]) -> Vec<f64> {
    let mut x = b.to_vec();
    for i in (0..x.len()).rev() {
        let xi = x[i] / l[i][i];
        x[i] = xi;
        for (v, li) in x[..i].iter_mut().zip(&l[i][..i]) {
            *v -= xi * li;
        }
    }
    x
}

avx2_dispatch! {
    /// The inverse of a lower-triangular `L` (itself lower triangular), four rows at
    /// a time. O(n³ / 6).
    lower_inverse / lower_inverse_avx2 = lower_inverse_portable(l: &Matrix) -> Matrix
}

#[inline(always)]
fn lower_inverse_portable(l: &Matrix) -> Matrix {
    let n = l.len();
    // Row i of L X = I: X[i][c] = -(Σ_{c ≤ k < i} L[i][k] X[k][c]) / L[i][i] for c < i,
    // and 1 / L[i][i] on the diagonal. Four rows i0..i0 + 4 at a time: first the sums
    // over the finished rows k < i0, eight columns c per pass against the four rows'
    // broadcast L[i][k] ([`panel_times`]), each in ascending k from zero; then the
    // terms of the panel's own earlier rows, in ascending k.
    let mut x: Matrix = Vec::with_capacity(n);
    let mut pivots: Vec<[f64; 4]> = Vec::with_capacity(n);
    for i0 in (0..n).step_by(4) {
        let width = 4.min(n - i0);
        let [a, b, c, d] = quad_indices(i0, n);
        pivots.clear();
        pivots.extend((0..i0).map(|k| [l[a][k], l[b][k], l[c][k], l[d][k]]));
        let mut rows = vec![vec![0.0; n]; width];
        let full = i0 / ROWS * ROWS;
        for first in (0..full).step_by(ROWS) {
            // X[k][c] is zero for k < c: the sums start at row `first`.
            let s = panel_times(&x[first..i0], first, &pivots[first..]);
            for (row, s) in rows.iter_mut().zip(&s) {
                row[first..first + ROWS].copy_from_slice(s);
            }
        }
        for c in full..i0 {
            for (m, row) in rows.iter_mut().enumerate() {
                row[c] = (c..i0).fold(0.0, |s, k| s + pivots[k][m] * x[k][c]);
            }
        }
        for (m, mut row) in rows.into_iter().enumerate() {
            let i = i0 + m;
            for k in i0..i {
                let f = l[i][k];
                for (r, p) in row[..=k].iter_mut().zip(&x[k][..=k]) {
                    *r += f * p;
                }
            }
            let d = l[i][i];
            for r in row[..i].iter_mut() {
                *r = -*r / d;
            }
            row[i] = 1.0 / d;
            x.push(row);
        }
    }
    x
}

/// Rows per group of a lower-triangular product: row `i` sums its products over the
/// columns `0..lower_end(i, n)`, past the diagonal to the end of its group (the stored
/// zeros add nothing), so the rows of a group share one length.
pub const GROUP: usize = 8;

/// The columns row `i` of an `n`-wide lower-triangular product runs over; see [`GROUP`].
pub fn lower_end(i: usize, n: usize) -> usize {
    ((i / GROUP + 1) * GROUP).min(n)
}

/// Rows (or columns) per pass of [`lower_times`] and [`lower_transposed_times`]: two
/// groups, whose sixteen sums are independent vector lanes.
const LANES: usize = 2 * GROUP;

/// `acc[c] += rows[k][first + c] · x[k]` for each row `k` in order and every lane `c`
/// of `acc`: one broadcast `x[k]` times contiguous entries, in vector lanes.
#[inline(always)]
fn add_scaled_rows(acc: &mut [f64], rows: &[Vec<f64>], x: &[f64], first: usize) {
    let width = acc.len();
    for (row, &xk) in rows.iter().zip(x) {
        for (a, v) in acc.iter_mut().zip(&row[first..first + width]) {
            *a += v * xk;
        }
    }
}

avx2_dispatch! {
    /// `L x` for a lower-triangular `L` given by its transpose `lt` (row `j` of `lt` is
    /// column `j` of `L`, so sixteen rows' entries of one column sit together). Entry
    /// `i` sums `L[i][j] x[j]` over `j < lower_end(i, n)` in ascending order from zero,
    /// the order every blocked product of `L` must keep to give the same bits.
    /// O(n² / 2).
    lower_times / lower_times_avx2 = lower_times_portable(lt: &Matrix, x: &[f64]) -> Vec<f64>
}

#[inline(always)]
fn lower_times_portable(lt: &Matrix, x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut out = vec![0.0; n];
    let full = n / LANES * LANES;
    for start in (0..full).step_by(LANES) {
        // Rows start..start + 8 end at `split`, the next eight at start + 16.
        let split = start + GROUP;
        let mut acc = [0.0; LANES];
        add_scaled_rows(&mut acc, &lt[..split], &x[..split], start);
        add_scaled_rows(
            &mut acc[GROUP..],
            &lt[split..start + LANES],
            &x[split..],
            split,
        );
        out[start..start + LANES].copy_from_slice(&acc);
    }
    for (i, o) in out.iter_mut().enumerate().skip(full) {
        let end = lower_end(i, n);
        *o = lt[..end]
            .iter()
            .zip(&x[..end])
            .fold(0.0, |s, (column, xj)| s + column[i] * xj);
    }
    out
}

avx2_dispatch! {
    /// `Lᵀ x` for a lower-triangular `L` (full rows, zeros above the diagonal): entry
    /// `j` sums `L[i][j] x[i]` over the rows `i` in ascending order, sixteen entries a
    /// pass as vector lanes. O(n² / 2).
    lower_transposed_times / lower_transposed_times_avx2 =
        lower_transposed_times_portable(l: &Matrix, x: &[f64]) -> Vec<f64>
}

#[inline(always)]
fn lower_transposed_times_portable(l: &Matrix, x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut out = vec![0.0; n];
    let full = n / LANES * LANES;
    for start in (0..full).step_by(LANES) {
        let mut acc = [0.0; LANES];
        add_scaled_rows(&mut acc, &l[start..], &x[start..], start);
        out[start..start + LANES].copy_from_slice(&acc);
    }
    for (j, o) in out.iter_mut().enumerate().skip(full) {
        *o = l[j..]
            .iter()
            .zip(&x[j..])
            .fold(0.0, |s, (row, xi)| s + row[j] * xi);
    }
    out
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
    // out[i][j] = Σ_k L⁻¹[k][i] L⁻¹[k][j], zero below k = i for j ≤ i: four rows
    // i0..i0 + 4 at a time, summing over k ≥ i0 in ascending order (the terms below
    // each row's own i are stored zeros), eight entries j of a row of L⁻¹ per pass
    // against the four broadcast L⁻¹[k][i] ([`panel_times`]). The upper triangle is
    // the mirror.
    let mut out = vec![vec![0.0; n]; n];
    let mut pivots: Vec<[f64; 4]> = Vec::with_capacity(n);
    for i0 in (0..n).step_by(4) {
        let width = 4.min(n - i0);
        let cols = &linv[i0..];
        let at = quad_indices(i0, n);
        pivots.clear();
        pivots.extend(cols.iter().map(|row| gather(row, at)));
        let end = i0 + width;
        let full = end / ROWS * ROWS;
        for first in (0..full).step_by(ROWS) {
            let s = panel_times(cols, first, &pivots);
            for (m, s) in s.iter().enumerate().take(width) {
                out[i0 + m][first..first + ROWS].copy_from_slice(s);
            }
        }
        for j in full..end {
            for m in 0..width {
                out[i0 + m][j] = cols
                    .iter()
                    .zip(&pivots)
                    .fold(0.0, |s, (row, p)| s + row[j] * p[m]);
            }
        }
    }
    for i in 0..n {
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

    /// B Bᵀ + ridge I for a fixed n × n pattern B: symmetric positive definite.
    fn positive_definite(n: usize, ridge: f64) -> Matrix {
        let b: Matrix = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| ((i * 31 + j * 17) % 23) as f64 / 7.0 - 1.5)
                    .collect()
            })
            .collect();
        (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| dot(&b[i], &b[j]) + if i == j { ridge } else { 0.0 })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn dispatched_copies_match_the_portable_code_bit_for_bit() {
        let n = 37;
        let a = positive_definite(n, n as f64);
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
    fn triangular_products_sum_in_their_documented_order() {
        for n in [1, 7, 16, 29, 40] {
            let l: Matrix = (0..n)
                .map(|i| {
                    (0..n)
                        .map(|j| {
                            if j <= i {
                                ((i * 13 + j * 7) % 11) as f64 / 3.0 - 1.7
                            } else {
                                0.0
                            }
                        })
                        .collect()
                })
                .collect();
            let x: Vec<f64> = (0..n).map(|i| 0.3 + (i % 5) as f64 / 9.0).collect();
            let lt = transpose(&l);
            let bits = |v: &[f64]| -> Vec<u64> { v.iter().map(|v| v.to_bits()).collect() };
            let lower: Vec<f64> = (0..n)
                .map(|i| (0..lower_end(i, n)).fold(0.0, |s, j| s + l[i][j] * x[j]))
                .collect();
            assert_eq!(bits(&lower_times(&lt, &x)), bits(&lower), "n = {n}");
            assert_eq!(bits(&lower_times_portable(&lt, &x)), bits(&lower));
            let upper: Vec<f64> = (0..n)
                .map(|j| (j..n).fold(0.0, |s, i| s + l[i][j] * x[i]))
                .collect();
            assert_eq!(
                bits(&lower_transposed_times(&l, &x)),
                bits(&upper),
                "n = {n}"
            );
            assert_eq!(bits(&lower_transposed_times_portable(&l, &x)), bits(&upper));
        }
    }

    #[test]
    fn the_blocked_cholesky_sums_in_its_documented_order() {
        for n in [1, 2, 5, 8, 13, 30] {
            let a = positive_definite(n, 2.0);
            // The documented order: the columns before the panel's first, then the
            // panel's own, each in ascending order from zero.
            let mut textbook: Matrix = vec![vec![0.0; n]; n];
            let sum = |l: &Matrix, i: usize, j: usize| -> f64 {
                let j0 = j / 4 * 4;
                let head = (0..j0).fold(0.0, |s, k| s + l[i][k] * l[j][k]);
                head + (j0..j).fold(0.0, |s, k| s + l[i][k] * l[j][k])
            };
            for j in 0..n {
                let d = (a[j][j] - sum(&textbook, j, j)).sqrt();
                textbook[j][j] = d;
                for i in j + 1..n {
                    textbook[i][j] = (a[i][j] - sum(&textbook, i, j)) / d;
                }
            }
            let l = cholesky(&a).unwrap();
            let bits =
                |m: &Matrix| -> Vec<u64> { m.iter().flatten().map(|v| v.to_bits()).collect() };
            assert_eq!(bits(&l), bits(&textbook), "n = {n}");
            // The inverse from L⁻¹ is (L Lᵀ)⁻¹ = a⁻¹, symmetric.
            let inv = inverse_from_lower_inverse(&lower_inverse(&l));
            for (i, row) in inv.iter().enumerate() {
                for j in 0..n {
                    let e: f64 = (0..n).map(|k| row[k] * a[k][j]).sum();
                    let want = if i == j { 1.0 } else { 0.0 };
                    assert!((e - want).abs() < 1e-9, "n = {n}: ({i}, {j}) = {e}");
                    assert_eq!(row[j].to_bits(), inv[j][i].to_bits());
                }
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
