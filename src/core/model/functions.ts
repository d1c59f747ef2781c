/** The one-argument functions of a model (and those mathjs writes into derivatives), in decimal arithmetic. */
import { Decimal, LN10 } from '../numeric/decimal.ts';

const LN2 = new Decimal(2).ln();

type Fn1 = (a: Decimal) => Decimal;
/** The model's functions and those that mathjs writes into derivatives (sec, cosh, …). */
export const UNARY: Record<string, Fn1> = {
  sqrt: (a) => a.sqrt(),
  exp: (a) => a.exp(),
  log: (a) => a.ln(),
  log10: (a) => a.ln().div(LN10),
  log2: (a) => a.ln().div(LN2),
  sin: (a) => a.sin(),
  cos: (a) => a.cos(),
  tan: (a) => a.tan(),
  asin: (a) => a.asin(),
  acos: (a) => a.acos(),
  atan: (a) => a.atan(),
  abs: (a) => a.abs(),
  sec: (a) => new Decimal(1).div(a.cos()),
  csc: (a) => new Decimal(1).div(a.sin()),
  cot: (a) => new Decimal(1).div(a.tan()),
  sinh: (a) => a.sinh(),
  cosh: (a) => a.cosh(),
  tanh: (a) => a.tanh(),
  sech: (a) => new Decimal(1).div(a.cosh()),
  csch: (a) => new Decimal(1).div(a.sinh()),
  coth: (a) => new Decimal(1).div(a.tanh()),
  square: (a) => a.times(a),
  cube: (a) => a.times(a).times(a),
  cbrt: (a) => a.cbrt(),
};
