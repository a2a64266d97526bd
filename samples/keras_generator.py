"""The DCGAN generator of the TensorFlow tutorial (MNIST, 28×28), as a Sequential model and as the
same model written with the functional API."""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

noise_dim = 100


def make_generator_model():
    model = tf.keras.Sequential([
        layers.Dense(7 * 7 * 256, use_bias=False, input_shape=(noise_dim,)),
        layers.BatchNormalization(),
        layers.LeakyReLU(),
        layers.Reshape((7, 7, 256)),
        layers.Conv2DTranspose(128, (5, 5), strides=(1, 1), padding='same', use_bias=False),  # 7 x 7
        layers.BatchNormalization(),
        layers.LeakyReLU(),
        layers.Conv2DTranspose(64, (5, 5), strides=(2, 2), padding='same', use_bias=False),
        layers.BatchNormalization(),
        layers.LeakyReLU(),
        layers.Conv2DTranspose(1, (5, 5), strides=(2, 2), padding='same', use_bias=False, activation='tanh'),
    ])
    return model


inputs = keras.Input(shape=(7, 7, 256))
x = layers.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False)(inputs)
x = layers.BatchNormalization()(x)
x = layers.LeakyReLU()(x)
x = layers.Conv2DTranspose(64, 5,
                           strides=2,  # 14 x 14
                           padding="same", use_bias=False)(x)
x = layers.LeakyReLU()(x)
outputs = layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation="tanh")(x)
functional_generator = keras.Model(inputs, outputs)
