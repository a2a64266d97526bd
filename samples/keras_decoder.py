"""A Keras decoder that upsamples with Conv2DTranspose, and the resize-convolution alternative."""
from tensorflow import keras
from tensorflow.keras import layers
import tensorflow as tf

decoder = keras.Sequential([
    layers.Dense(7 * 7 * 64, activation="relu"),
    layers.Reshape((7, 7, 64)),
    layers.Conv2DTranspose(64, 3, strides=2, padding="same", activation="relu"),
    layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu"),
    layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
])

resize_conv = keras.Sequential([
    layers.UpSampling2D(size=2, interpolation="nearest"),
    layers.Conv2D(32, 3, padding="same"),
])

edge = tf.constant([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
