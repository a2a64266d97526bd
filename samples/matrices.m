% MATLAB / Octave matrices: spaces or commas between values, semicolons or new lines between rows.
A = [1 2; 3 4];
K = [1, 1; 1, 1];

laplacian = [0  1  0
             1 -4  1
             0  1  0];

% A long row continued with ...
ramp = [0 0.25 0.5 ...
        0.75 1];
