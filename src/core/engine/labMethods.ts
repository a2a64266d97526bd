/**
 * The three upsampling methods the checkerboard lab compares, in the order it shows them, with the
 * names it shows them by: the one list the engine, the protocol, the host and the page read.
 * This module imports nothing.
 */
export const LAB_METHODS = ['transposed', 'resize', 'subPixel'] as const;
export type LabMethodName = (typeof LAB_METHODS)[number];

export const LAB_METHOD_TITLES: Readonly<Record<LabMethodName, string>> = {
  transposed: 'Transposed convolution',
  resize: 'Resize-convolution',
  subPixel: 'Sub-pixel convolution (ICNR)',
};
