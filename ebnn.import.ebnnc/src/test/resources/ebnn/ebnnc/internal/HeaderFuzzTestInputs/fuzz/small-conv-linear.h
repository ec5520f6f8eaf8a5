#include "ebnn.h"
float c_b[2] = {0.5,-0.25};
uint8_t c_W[4] = {171,127,85,127};
float c_beta[2] = {0.1,-0.1};
float c_gamma[2] = {1.0,-2.0};
float c_mean[2] = {0.3,0.2};
float c_std[2] = {1.5,0.5};
void l_conv0(float* input, uint8_t* output){
  fconv_layer(input, c_W, output, c_b, c_gamma, c_beta, c_mean, c_std, 1, 2, 4, 4, 1, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2, 0, 0);
}

float s_b[3] = {0.5,-1.5,2.0};
uint8_t s_W[3] = {170,15,240};
float s_beta[3] = {0.0,0.1,-0.1};
float s_gamma[3] = {1.0,1.0,1.0};
float s_mean[3] = {0.0,1.0,-1.0};
float s_std[3] = {2.0,2.0,2.0};
void l_sm1(uint8_t* input, uint8_t* output){
  blinear_sm_layer(input, s_W, output, s_b, s_gamma, s_beta, s_mean, s_std, 1, 8, 3);
}


uint8_t temp1[8] = {0};
uint8_t temp2[8] = {0};
void ebnn_compute(float *input, uint8_t *output){
  l_conv0(input, temp1);
  l_sm1(temp1, output);
}
